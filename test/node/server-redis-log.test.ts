/** The RunLog contract on Redis Streams, against a real redis-server started for this file. */
import { after, before } from 'node:test';
import { createRedisRunLog } from '../../src/server/redis/index.ts';
import { runLogContract } from '../shared/run-log-contract.ts';
import { startRedis, type RedisServer } from '../shared/redis-server.ts';

let redis: RedisServer | undefined;
before(async () => {
  redis = await startRedis();
});
after(() => redis?.stop());

runLogContract('RedisRunLog', () => createRedisRunLog({ url: redis!.url }));
