/** A mock server on a free loopback port for one Node test file: started before its tests, closed after. */
import { after, before } from 'node:test';
import { startMockServer, type MockServer } from '../../mock-server/server.ts';

/** The file's mock server and its URLs (read them inside tests: the server starts in `before`). */
export interface MockServerFixture {
  /** The running server. */
  readonly server: MockServer;
  /** Its base URL, `http://127.0.0.1:<port>`. */
  readonly base: string;
  /** `base` + `path`. */
  readonly api: (path: string) => string;
}

/** Start a mock server on a free port before the file's tests and close it after them. */
export function useMockServer(): MockServerFixture {
  let server: MockServer | undefined;
  before(async () => {
    server = await startMockServer({ port: 0 });
  });
  after(() => server?.close());
  const running = (): MockServer => {
    if (!server) throw new Error('the mock server starts in before(): use it inside a test');
    return server;
  };
  return {
    get server() {
      return running();
    },
    get base() {
      return running().url;
    },
    api: (path) => `${running().url}${path}`,
  };
}
