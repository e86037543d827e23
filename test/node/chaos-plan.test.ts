/** The chaos plans: a pure function of the seed, covering every transport and fault, always valid for the mock server. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFaults } from '../../mock-server/faults.ts';
import { getScenario } from '../../mock-server/scenarios.ts';
import { batchTransport, CHAOS_TRANSPORTS, chaosPlan, formatSeed, PLANNED_FAULTS, runSeed } from '../chaos/plan.ts';

describe('chaos plans', () => {
  it('are a pure function of the seed and transport (a printed seed replays the same plan)', () => {
    for (let i = 0; i < 50; i++) {
      const seed = runSeed(7, i);
      assert.deepEqual(chaosPlan(seed, 'sse'), chaosPlan(seed, 'sse'));
      assert.equal(Number.parseInt(formatSeed(seed), 16), seed);
    }
    assert.notDeepEqual(chaosPlan(runSeed(7, 0), 'sse'), chaosPlan(runSeed(7, 1), 'sse'));
    assert.notEqual(runSeed(7, 0), runSeed(8, 0));
  });

  it('a batch of 1,000 gives every transport an even share and plans every kind of fault', () => {
    const plans = Array.from({ length: 1000 }, (_, i) => chaosPlan(runSeed(1, i), batchTransport(i)));
    for (const transport of CHAOS_TRANSPORTS) assert.equal(plans.filter((p) => p.transport === transport).length, 200);
    for (const fault of PLANNED_FAULTS)
      assert.ok(plans.filter((p) => p.faults.includes(fault)).length >= 20, `${fault} is planned often enough`);
    assert.ok(plans.filter((p) => p.faults.length === 0).length < 100, 'most runs get faults');
    assert.ok(plans.every((p) => batchTransport(0, 'poll') === 'poll' && CHAOS_TRANSPORTS.includes(p.transport)));
  });

  it('only ask the mock server for valid switches, existing scenarios, and buffering only where an SSE stream is read', () => {
    for (let i = 0; i < 2000; i++) {
      const plan = chaosPlan(runSeed(3, i), batchTransport(i));
      const request = parseFaults(new URLSearchParams(plan.query));
      assert.ok(getScenario(plan.scenario), plan.scenario);
      if (plan.faults.includes('buffer')) {
        assert.ok(['sse', 'hybrid', 'auto'].includes(plan.transport));
        assert.equal(request.times, 1, 'a buffered stream costs a heartbeat timeout: at most once');
      }
      const switches = plan.faults.filter((f) => f !== 'drop-all').length;
      assert.equal(request.present.length, switches, JSON.stringify(plan.query));
      assert.ok(plan.speed === 0 || (plan.speed >= 8 && plan.speed <= 30));
    }
  });
});
