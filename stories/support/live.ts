/** Rendering a live story: the element layout inside the `<story-run>` harness, and the docs source that goes with it. */
import { html, type TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import '../../src/components/define.ts';
import { defineStoryRun } from './story-run.ts';
import { faultQuery, type RunArgs } from './controls.ts';
import { liveSource, type Wiring } from './source.ts';
import { backendSource, type BackendProtocol } from './backends.ts';

/** Options of a live story beyond its args. */
export interface LiveOptions {
  /** How the run reaches the elements (`agent-run` by default). */
  wiring?: Wiring;
  /** `POST` path that starts a run (`/plain/tasks` for the plain dialect). */
  runsPath?: string;
  /** No "Check against server" (plain servers have no snapshot with texts). */
  noCheck?: boolean;
}

/**
 * `markup` is trusted, constant story HTML (never stream content): the layout a user would
 * write, rendered as is inside the harness, which starts a fresh run for it.
 */
export function renderLive(markup: string, args: RunArgs, options: LiveOptions = {}): TemplateResult {
  defineStoryRun();
  return html`<story-run
    scenario=${args.scenario}
    transport=${args.transport}
    .speed=${args.speed}
    .query=${faultQuery(args)}
    runs-path=${options.runsPath ?? '/api/runs'}
    ?no-check=${options.noCheck ?? false}
    >${unsafeHTML(markup)}</story-run
  >`;
}

/** Story parameters giving the docs the plain-HTML equivalent of a live story. */
export function liveParameters(markup: string, options: LiveOptions = {}): Record<string, unknown> {
  return {
    docs: {
      source: {
        language: 'html',
        transform: (_code: string, context: { args: RunArgs }) =>
          liveSource(
            markup,
            context.args,
            options.wiring,
            options.runsPath === undefined ? {} : { runsPath: options.runsPath },
          ),
      },
    },
  };
}

/** What a backend story is started with: the protocol's scenario and its pacing. */
export interface BackendArgs {
  /** Pacing: 1 realistic, 0 as fast as possible (the route's `delay_ms`). */
  speed: number;
}

/** The scenario every backend story plays: reasoning, tool calls with streamed arguments, steps, usage, then an approval. */
export const BACKEND_SCENARIO = 'agent';

/**
 * A backend story: `markup` (trusted, constant story HTML with one `<agent-run>`) inside the
 * harness, which starts a run on the mock's route for `protocol` and hands it over as `.run`.
 */
export function renderBackend(markup: string, protocol: BackendProtocol, args: BackendArgs): TemplateResult {
  defineStoryRun();
  return html`<story-run protocol=${protocol} scenario=${BACKEND_SCENARIO} .speed=${args.speed}
    >${unsafeHTML(markup)}</story-run
  >`;
}

/** Story parameters giving the docs the code a user writes for a backend story. */
export function backendParameters(markup: string, protocol: BackendProtocol): Record<string, unknown> {
  return {
    docs: {
      source: {
        language: 'html',
        transform: (_code: string, context: { args: BackendArgs }) =>
          backendSource([{ markup, protocol }], BACKEND_SCENARIO, context.args.speed),
      },
    },
  };
}
