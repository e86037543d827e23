// A backend for the agentwire elements: a fake LLM streams an answer, then asks before it "deploys".
// PORT (default 8787); REDIS_URL to keep runs in Redis, so that any number of these serve any run.
import { createServer } from 'node:http';
import { createRunKit, createRunServer, MemoryRunLog } from 'agentwire/server';
import { createNodeHandler } from 'agentwire/server/node';

const redisUrl = process.env.REDIS_URL;
const log = redisUrl
  ? await (await import('agentwire/server/redis')).createRedisRunLog({ url: redisUrl })
  : new MemoryRunLog();
const runs = createRunKit({ log });

/** The fake LLM: the answer, a word at a time. */
async function* complete(prompt, signal) {
  for (const word of `You asked: "${prompt}". Here is the plan: build, test, then deploy.`.split(' ')) {
    await new Promise((resolve) => setTimeout(resolve, 30));
    if (signal.aborted) return;
    yield `${word} `;
  }
}

const server = createRunServer({
  runs,
  // POST /api/runs {prompt?, approval?}: validate what you need (throw HttpError 400), then produce.
  onCreate: ({ body }) => ({
    produce: async (run) => {
      const prompt = typeof body.prompt === 'string' ? body.prompt.slice(0, 2000) : 'Ship the release';
      run.status('running');
      run.progress(10, 'Thinking');
      for await (const text of complete(prompt, run.signal)) run.token(text, 'answer');
      if (body.approval === false) return; // returning completes the run
      const callId = run.toolCall({ name: 'deploy', args: { target: 'production' } });
      const answer = await run.ask({
        prompt: 'Deploy to production? (yes/no)',
        choices: ['yes', 'no'],
        toolCallId: callId,
      });
      const deployed = answer.text.trim().toLowerCase() === 'yes';
      run.toolResult({ callId, summary: deployed ? 'Deployed 1.4.2' : 'Not deployed', ok: deployed });
      run.progress(100, 'Done');
      await run.done({ result: { deployed } });
    },
  }),
});

const handler = createNodeHandler(server);
const http = createServer(handler).on(
  'upgrade',
  (req, socket, head) => handler.upgrade(req, socket, head) || socket.destroy(),
);
http.listen(Number(process.env.PORT ?? 8787), '127.0.0.1', () => {
  console.log(`agentwire backend on http://127.0.0.1:${http.address().port}${redisUrl ? ' (runs in Redis)' : ''}`);
});
