/**
 * Reading the first frames of an event stream for the run's id (OpenAI names its response in the
 * first event), without consuming them: the bytes read are handed on, followed by the rest.
 */
import { protocolViolation } from '../transports/errors.ts';
import { createEventStreamDecoder } from '../transports/event-stream-decoder.ts';
import type { StreamFrame } from '../protocols/types.ts';

/** Most bytes read while looking for the run's id. */
export const MAX_PEEK_BYTES = 256 * 1024;

/** Read `response` until `runIdOf` names the run; the response returned streams every byte again. */
export async function peekRunId(
  response: Response,
  runIdOf: (frame: StreamFrame) => string | undefined,
  signal?: AbortSignal,
): Promise<{ runId: string; response: Response }> {
  const reader = response.body!.getReader();
  const seen: Uint8Array[] = [];
  let bytes = 0;
  let runId: string | undefined;
  const decoder = createEventStreamDecoder(({ type, data }) => {
    runId ??= runIdOf({ event: type, data });
  });
  const stop = (): void => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', stop, { once: true });
  try {
    while (runId === undefined) {
      const { done, value } = await reader.read();
      if (done) break;
      seen.push(value);
      bytes += value.byteLength;
      decoder.push(value);
      if (bytes > MAX_PEEK_BYTES) break;
    }
  } finally {
    signal?.removeEventListener('abort', stop);
  }
  if (runId === undefined) {
    stop();
    throw protocolViolation(`no run id in the first ${bytes} bytes of the stream`);
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of seen) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return {
    runId,
    response: new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    }),
  };
}
