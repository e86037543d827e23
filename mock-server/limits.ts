/** Every limit and default of the mock server, named once. Wire-level limits live in src/protocol/limits.ts. */

/** Port `npm run mock` listens on when `PORT` is not set. */
export const DEFAULT_PORT = 8787;
/** Interface the server binds to by default (loopback only, always). */
export const DEFAULT_HOST = '127.0.0.1';
/** Hosts the server accepts to bind to: loopback names and addresses only. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', '::1', 'localhost'];

/** Scenario played when `POST /api/runs` names none. */
export const DEFAULT_SCENARIO = 'agent';
/** Scenario played when `POST /plain/tasks` names none. */
export const DEFAULT_PLAIN_SCENARIO = 'quick';
/** Scenarios the plain dialect serves. */
export const PLAIN_SCENARIOS: readonly string[] = ['agent', 'quick'];
/** Seed used when the request gives none, so unseeded runs are reproducible too. */
export const DEFAULT_SEED = 1;
/** Timing multiplier used when the request gives none (realistic pacing). */
export const DEFAULT_SPEED = 1;
/** Largest accepted `speed`. */
export const MAX_SPEED = 10_000;
/** Longest accepted `prompt`, in UTF-16 code units. */
export const MAX_PROMPT_LENGTH = 16 * 1024;
/** Longest accepted `thread_id`. */
export const MAX_THREAD_ID_LENGTH = 128;
/** Message id of the user's turn that opens a run in a thread. */
export const USER_TURN_MESSAGE_ID = 'u1';
/** Longest accepted `approval_timeout_ms`. */
export const MAX_APPROVAL_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** Script instructions a run plays per event-loop turn when it runs ahead of its clock (speed 0 or catching up). */
export const RUN_BATCH_SIZE = 512;
/** A pause shorter than this is not worth a timer: the run plays on and settles the debt later. */
export const MIN_TIMER_MS = 1;
/** Replies a run keeps a record of (`Run.replies`); later ones are only counted. */
export const MAX_REPLY_RECORDS = 1000;
/** Finished runs kept for replay before the oldest are forgotten. */
export const MAX_RETAINED_RUNS = 10_000;

/** `fault_buffer`: bytes a "misconfigured proxy" holds before it flushes. */
export const FAULT_BUFFER_BYTES = 64 * 1024;
/** Longest accepted `fault_delay`. */
export const MAX_FAULT_DELAY_MS = 60_000;
/** Largest `fault_reorder` window. */
export const MAX_FAULT_REORDER_WINDOW = 64;
/** `Retry-After` seconds sent with a `fault_503` answer. */
export const FAULT_RETRY_AFTER_S = 1;
/** The deliberately malformed SSE frame of `fault_malformed` (no id: resume cursors are unaffected). */
export const MALFORMED_SSE_FRAME = 'data: {not json\n\n';
/** The deliberately malformed WebSocket message of `fault_malformed`. */
export const MALFORMED_WS_MESSAGE = '{not json';
