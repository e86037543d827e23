/**
 * agentwire/server/redis: the RunLog on Redis Streams (ioredis, an optional peer dependency), so
 * any number of server instances serve any run.
 *
 *     const runs = createRunKit({ log: await createRedisRunLog({ url: process.env.REDIS_URL }) });
 */
export { createRedisRunLog, RedisRunLog, REDIS_LOG_DEFAULTS, type RedisRunLogOptions } from './log.ts';
