import { MemoryRunLog } from '../../src/server/index.ts';
import { runLogContract } from '../shared/run-log-contract.ts';
import { runLogTrimContract } from '../shared/run-log-trim-contract.ts';

runLogContract('MemoryRunLog', () => new MemoryRunLog());

runLogTrimContract('MemoryRunLog', (maxEvents) => new MemoryRunLog({ maxEvents }));
