/** Typed errors of the mock server: the kit's refusals, and misuse of the mock server's own API. */
export { HttpError, RunCommandError, type HttpErrorCode, type RunCommandErrorCode } from '../src/server/index.ts';

/** Codes of misuse of the mock server's own API (bad options). */
export type MockServerErrorCode = 'non_loopback_host' | 'invalid_port' | 'unknown_scenario' | 'invalid_redis_url';

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
