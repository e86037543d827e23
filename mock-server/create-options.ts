/** Validation of `POST /api/runs` (and `/plain/tasks`) bodies: a bad field is a 400 naming it. */
import { HttpError } from './errors.ts';
import {
  DEFAULT_SCENARIO,
  DEFAULT_SEED,
  DEFAULT_SPEED,
  MAX_APPROVAL_TIMEOUT_MS,
  MAX_PROMPT_LENGTH,
  MAX_SPEED,
  MAX_THREAD_ID_LENGTH,
} from './limits.ts';
import { parseReplay, type ReplayPlan } from './replay.ts';
import { DEFAULT_PROMPT, getScenario, listScenarios } from './scenarios.ts';

/** What it takes to start a scenario run (validated). */
export interface CreateRunOptions {
  scenario: string;
  prompt: string;
  speed: number;
  seed: number;
  approvalTimeoutMs?: number | undefined;
  /** Stamp every scripted event with the time it was emitted (`at`): clients measure latency from it. */
  stamp: boolean;
  /** The `replay` scenario's events. */
  replay?: ReplayPlan | undefined;
  /** The conversation the run continues; its first event is then the user's turn (the prompt). */
  threadId?: string | undefined;
}

/** What a create request may restrict. */
export interface CreateBodyRules {
  /** Scenario when the body names none. */
  defaultScenario?: string;
  /** Scenarios allowed (all registered ones when absent). */
  scenarios?: readonly string[];
}

function invalid(field: string, message: string): HttpError {
  return new HttpError(400, 'invalid_body', `field "${field}" ${message}`, { field });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turn an untrusted create body into run options; throws HttpError 400 `invalid_body` naming the field. */
export function parseCreateBody(body: unknown, rules: CreateBodyRules = {}): CreateRunOptions {
  if (!isRecord(body)) throw new HttpError(400, 'invalid_body', 'request body must be a JSON object');
  const allowed = rules.scenarios ?? listScenarios().map((s) => s.name);

  const scenario = body['scenario'] ?? rules.defaultScenario ?? DEFAULT_SCENARIO;
  if (typeof scenario !== 'string') throw invalid('scenario', 'must be a string');
  if (!allowed.includes(scenario) || getScenario(scenario) === undefined) {
    throw invalid('scenario', `must be one of ${allowed.join(', ')}, got ${JSON.stringify(scenario.slice(0, 60))}`);
  }

  const prompt = body['prompt'] ?? DEFAULT_PROMPT;
  if (typeof prompt !== 'string') throw invalid('prompt', 'must be a string');
  if (prompt.length > MAX_PROMPT_LENGTH) throw invalid('prompt', `must be at most ${MAX_PROMPT_LENGTH} characters`);

  const speed = body['speed'] ?? DEFAULT_SPEED;
  if (typeof speed !== 'number' || !Number.isFinite(speed)) throw invalid('speed', 'must be a number');
  if (speed < 0 || speed > MAX_SPEED) throw invalid('speed', `must be between 0 and ${MAX_SPEED}`);

  const seed = body['seed'] ?? DEFAULT_SEED;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw invalid('seed', 'must be an integer');

  const timeout = body['approval_timeout_ms'];
  if (timeout !== undefined && timeout !== null) {
    if (typeof timeout !== 'number' || !Number.isSafeInteger(timeout))
      throw invalid('approval_timeout_ms', 'must be an integer');
    if (timeout < 1 || timeout > MAX_APPROVAL_TIMEOUT_MS)
      throw invalid('approval_timeout_ms', `must be between 1 and ${MAX_APPROVAL_TIMEOUT_MS}`);
  }

  const stamp = body['stamp'] ?? false;
  if (typeof stamp !== 'boolean') throw invalid('stamp', 'must be a boolean');

  const rawReplay = body['replay'];
  if ((scenario === 'replay') !== (rawReplay !== undefined))
    throw invalid('replay', scenario === 'replay' ? 'is required by the replay scenario' : 'needs scenario "replay"');
  const threadId = body['thread_id'];
  if (threadId !== undefined && threadId !== null) {
    if (typeof threadId !== 'string') throw invalid('thread_id', 'must be a string');
    if (!new RegExp(`^[\\w.:-]{1,${MAX_THREAD_ID_LENGTH}}$`).test(threadId))
      throw invalid('thread_id', `must be 1 to ${MAX_THREAD_ID_LENGTH} letters, digits, '_', '-', '.' or ':'`);
  }

  return {
    scenario,
    prompt,
    speed,
    seed,
    approvalTimeoutMs: typeof timeout === 'number' ? timeout : undefined,
    stamp,
    ...(rawReplay !== undefined && { replay: parseReplay(rawReplay) }),
    threadId: typeof threadId === 'string' ? threadId : undefined,
  };
}
