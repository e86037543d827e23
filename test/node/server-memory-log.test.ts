import { MemoryRunLog } from '../../src/server/index.ts';
import { runLogContract } from '../shared/run-log-contract.ts';

runLogContract('MemoryRunLog', () => new MemoryRunLog());
