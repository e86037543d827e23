/**
 * The language scenarios are written in: a scenario is a generator that yields instructions
 * (emit an event, pause, ask a human) and the run engine plays them with its own clock.
 */
import type { RequestKind, RunEvent } from '../src/protocol/index.ts';
import type { Random } from './random.ts';
import type { ReplayPlan } from './replay.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A server event as a scenario writes it: the engine adds `run_id` and `seq`. */
export type EventBody = DistributiveOmit<RunEvent, 'run_id' | 'seq'>;

/** A human question: the engine emits `need_input` (+ status waiting) with a fresh resume_token. */
export interface AskRequest {
  prompt: string;
  choices?: string[];
  /** `approval` (approve / deny with an optional reason) or `input` (the default). */
  kind?: RequestKind;
  /** A JSON Schema the answer's value must satisfy: the client shows a form. */
  schema?: unknown;
  /** The tool call the request is about. */
  toolCallId?: string;
  /** Unanswerable this long after it was asked (wall-clock, not scaled by speed): a countdown shows. */
  expiresInMs?: number;
}

/** An approval decided by policy: shown as such, never asked (the engine calls `run.decide()`). */
export interface Decision {
  prompt: string;
  approved: boolean;
  /** Why, shown with the decision. */
  reason?: string;
  /** The tool call decided on. */
  toolCallId?: string;
}

/** One thing a scenario asks the engine to do. */
export type Instruction =
  | { kind: 'emit'; event: EventBody }
  | { kind: 'decide'; decision: Decision }
  | { kind: 'sleep'; ms: number }
  | { kind: 'ask'; request: AskRequest }
  | { kind: 'ask-all'; requests: readonly AskRequest[] };

/** How a question ended: answered with `text` (and the structured `value`, if any), or expired unanswered. */
export type AskOutcome = { kind: 'answer'; text: string; value?: unknown } | { kind: 'expired' };

/** How several questions asked at once ended, in the order asked. */
export interface AskAllOutcome {
  kind: 'all';
  outcomes: AskOutcome[];
}

/** What the engine resumes a script with. */
export type Resumption = AskOutcome | AskAllOutcome;

/** A scenario step (or a whole scenario): a generator the engine drives; `R` is what it returns. */
export type Script<R = void> = Generator<Instruction, R, Resumption | undefined>;

/** What a scenario knows about its run. */
export interface ScenarioContext {
  /** Seeded randomness: the only source of variation, so a seed replays the same events. */
  readonly rng: Random;
  /** The user's prompt (a default when the request gave none). */
  readonly prompt: string;
  /** The `replay` scenario's events (from the create body). */
  readonly replay?: ReplayPlan | undefined;
}

/** Emit one event (pass a fresh object: the engine completes it in place with run_id and seq). */
export function emit(event: EventBody): Instruction {
  return { kind: 'emit', event };
}

/** Record an approval decided by policy (nothing is asked; the run goes on at once). */
export function decide(decision: Decision): Instruction {
  return { kind: 'decide', decision };
}

/** Pause `ms` milliseconds of scenario time (divided by the run's speed). */
export function sleep(ms: number): Instruction {
  return { kind: 'sleep', ms };
}

/** Ask a human and wait for the answer (or for the request to expire). */
export function* ask(request: AskRequest): Script<AskOutcome> {
  const outcome = yield { kind: 'ask', request };
  if (outcome === undefined || outcome.kind === 'all')
    throw new TypeError('the engine resumed an ask without its outcome');
  return outcome;
}

/** Ask several questions at once (all open together, each answered on its own); resumes once every one ended. */
export function* askAll(requests: readonly AskRequest[]): Script<AskOutcome[]> {
  const outcome = yield { kind: 'ask-all', requests };
  if (outcome?.kind !== 'all') throw new TypeError('the engine resumed an ask-all without its outcomes');
  return outcome.outcomes;
}

/** Split text into model-like tokens: words with their leading space, long words cut in pieces. */
export function tokenize(text: string, rng: Random): string[] {
  const out: string[] = [];
  for (const word of text.match(/\s*\S+/g) ?? []) {
    let rest = word;
    while (rest.length > 7) {
      const cut = rng.int(3, 6);
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    out.push(rest);
  }
  return out;
}

/** Stream tokens of one message with a human-ish pace (`minMs`..`maxMs` between tokens). */
export function* streamTokens(
  tokens: readonly string[],
  messageId: string,
  rng: Random,
  minMs = 20,
  maxMs = 40,
): Script {
  for (const content of tokens) {
    yield sleep(rng.int(minMs, maxMs));
    yield emit({ type: 'token', content, message_id: messageId });
  }
}

const WORDS = [
  'the',
  'agent',
  'reads',
  'a',
  'file',
  'and',
  'then',
  'writes',
  'tests',
  'for',
  'each',
  'module',
  'so',
  'that',
  'every',
  'change',
  'is',
  'checked',
  'before',
  'deploy',
  'stream',
  'token',
  'event',
  'server',
  'client',
  'state',
  'reducer',
  'snapshot',
  'resume',
  'cursor',
  'sequence',
  'number',
  'gap',
  'duplicate',
  'heartbeat',
  'proxy',
  'buffer',
  'approval',
  'prompt',
  'answer',
  'progress',
  'step',
  'plan',
  'build',
  'run',
  'log',
  'tool',
  'call',
  'result',
  'summary',
  'quickly',
  'carefully',
  'again',
  'later',
  'now',
  'with',
  'without',
  'under',
  'over',
];

/** Deterministic filler prose of `count` words, as one sentence-ish string per call. */
export function prose(rng: Random, count: number): string {
  const words: string[] = [];
  for (let i = 0; i < count; i++) {
    const word = rng.pick(WORDS);
    words.push(i === 0 ? word[0]!.toUpperCase() + word.slice(1) : word);
  }
  return `${words.join(' ')}.`;
}

/** A word-per-token filler token (with leading space except the first). */
export function fillerToken(rng: Random, index: number): string {
  const word = rng.pick(WORDS);
  if (index === 0) return word[0]!.toUpperCase() + word.slice(1);
  return index % 17 === 16 ? ` ${word}.` : ` ${word}`;
}
