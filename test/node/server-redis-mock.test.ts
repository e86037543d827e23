/**
 * The mock server's own suites again, on a RedisRunLog over a real redis-server: the kit's Redis
 * path keeps every rule the memory path keeps (ordering, 204, resume, faults, bad input, plain).
 */
process.env['MOCK_LOG'] = 'redis';
await import('./mock-server.test.ts');
await import('./mock-server-sse.test.ts');
await import('./mock-server-ws.test.ts');
await import('./mock-server-faults.test.ts');
await import('./mock-server-bad-input.test.ts');
await import('./mock-server-plain.test.ts');

export {};
