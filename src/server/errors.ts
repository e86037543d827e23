/** Typed errors of the server kit: every refusal carries a machine-readable `code`. */

/** Codes of REST error answers (`ApiErrorBody.error.code`) the kit sends. */
export type HttpErrorCode =
  | 'invalid_body'
  | 'invalid_query'
  | 'malformed_json'
  | 'payload_too_large'
  | 'run_not_found'
  | 'not_found'
  | 'method_not_allowed'
  | 'upgrade_required'
  | 'unauthorized'
  | 'forbidden'
  | 'too_many_runs'
  | 'unavailable'
  | 'stale_resume_token'
  | 'run_finished'
  | 'internal_error'
  // Open for handlers of the application (and the mock server) to add their own.
  | (string & {});

/** A request was refused; answered as JSON `ApiErrorBody` with `status`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  /** Machine-readable reason. */
  readonly code: HttpErrorCode;
  /** HTTP status of the answer. */
  readonly status: number;
  /** The body field or query parameter to blame, when one is. */
  readonly field: string | undefined;
  /** Extra response headers (e.g. `Allow`, `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: HttpErrorCode,
    message: string,
    options: { field?: string; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }
}

/** Codes of refused run commands (reply, cancel). */
export type RunCommandErrorCode = 'stale_resume_token' | 'run_finished';

/** The run refused a command; REST answers it with `status` (409), WebSocket with a `command_error`. */
export class RunCommandError extends Error {
  override readonly name = 'RunCommandError';
  /** Machine-readable reason. */
  readonly code: RunCommandErrorCode;
  /** HTTP status the refusal maps to. */
  readonly status = 409;

  constructor(code: RunCommandErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Codes of misuse of the kit's own API or of its run log. */
export type RunKitErrorCode =
  /** An event given to a producer method does not decode as a protocol event. */
  | 'invalid_event'
  /** An option of a kit function is out of range or of the wrong type. */
  | 'invalid_option'
  /** `create` was given an id that is already taken. */
  | 'run_exists'
  /** No run with that id in the log. */
  | 'run_not_found'
  /** A client already has as many active runs as `maxActiveRuns` allows. */
  | 'too_many_runs'
  /** The run log's store (e.g. Redis) could not be reached. */
  | 'log_unavailable'
  /** The events a reader asked for were trimmed from the log (retention). */
  | 'events_trimmed'
  /** The kit or its log was closed. */
  | 'closed';

/** A kit or run-log operation failed. */
export class RunKitError extends Error {
  override readonly name = 'RunKitError';
  /** Machine-readable reason. */
  readonly code: RunKitErrorCode;

  constructor(code: RunKitErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Codes with which `ProducerRun.ask()` rejects. */
export type AskErrorCode =
  /** The request reached its `expiresAt` unanswered (an `error input_expired` event was emitted). */
  | 'input_expired'
  /** The run was cancelled (by a user or an operator) while the request was open. */
  | 'run_cancelled'
  /** The run ended otherwise (the producer's own `done`/`fail`, a lost lease, the kit closing). */
  | 'run_ended';

/** `ask()` ended without an answer. */
export class AskError extends Error {
  override readonly name = 'AskError';
  /** Why no answer came. */
  readonly code: AskErrorCode;
  /** The request's resume token. */
  readonly resumeToken: string;

  constructor(code: AskErrorCode, resumeToken: string, message: string) {
    super(message);
    this.code = code;
    this.resumeToken = resumeToken;
  }
}

/** Why a producer's `signal` was aborted: the run was cancelled or ended from outside the producer. */
export class RunAbortedError extends Error {
  override readonly name = 'RunAbortedError';
  /** `run_cancelled` (a cancel command), `producer_lost` (the lease ran out), `run_ended`, `closed` (the kit closed), `log_failed` (the log refused the events). */
  readonly code: 'run_cancelled' | 'producer_lost' | 'run_ended' | 'closed' | 'log_failed';

  constructor(code: RunAbortedError['code'], message: string) {
    super(message);
    this.code = code;
  }
}
