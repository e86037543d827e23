/** Typed errors of the mock server: every refusal carries a machine-readable `code`. */

/** Codes of REST error answers (`ApiErrorBody.error.code`). */
export type HttpErrorCode =
  | 'invalid_body'
  | 'invalid_query'
  | 'malformed_json'
  | 'payload_too_large'
  | 'run_not_found'
  | 'not_found'
  | 'method_not_allowed'
  | 'upgrade_required'
  | 'unavailable'
  | 'stale_resume_token'
  | 'run_finished'
  | 'internal_error';

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
    options: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }
}

/** Codes of refused run commands (reply, cancel). */
export type RunCommandErrorCode = 'stale_resume_token' | 'run_finished';

/** The run refused a command; REST answers it with `status`, WebSocket with a `command_error`. */
export class RunCommandError extends Error {
  override readonly name = 'RunCommandError';
  /** Machine-readable reason. */
  readonly code: RunCommandErrorCode;
  /** HTTP status the refusal maps to (409 for both codes). */
  readonly status = 409;

  constructor(code: RunCommandErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Codes of misuse of the mock server's own API (bad options). */
export type MockServerErrorCode = 'non_loopback_host' | 'invalid_port' | 'unknown_scenario';

/** The mock server was asked for something it will not do. */
export class MockServerError extends Error {
  override readonly name = 'MockServerError';
  /** Machine-readable reason. */
  readonly code: MockServerErrorCode;

  constructor(code: MockServerErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
