import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NeedInputEvent } from '../../src/protocol/index.ts';
import type { ApprovalInputs } from '../../src/components/approval-prompt/approval-model.ts';
import {
  approvalView,
  deadlineOf,
  formatRemaining,
  toTypedError,
} from '../../src/components/approval-prompt/approval-model.ts';

const request: NeedInputEvent = { type: 'need_input', prompt: 'Deploy?', resume_token: 'T1', choices: ['yes', 'no'] };
const base: ApprovalInputs = {
  pending: request,
  reply: null,
  dismissed: null,
  now: 0,
  unconfirmed: false,
};
const refused = { code: 'stale_resume_token', message: 'this resume_token has expired' };

describe('approvalView', () => {
  it('is closed without a pending request, open with one', () => {
    assert.equal(approvalView({ ...base, pending: null }).phase, 'closed');
    assert.deepEqual(approvalView(base), { phase: 'open', request, error: null, remainingMs: null });
  });

  it('is sending while the answer is in flight, closed once accepted', () => {
    const sending = { resumeToken: 'T1', text: 'yes', status: 'sending', error: null } as const;
    assert.equal(approvalView({ ...base, reply: sending }).phase, 'sending');
    assert.equal(
      approvalView({ ...base, reply: { ...sending, status: 'sent' } }).phase,
      'sending',
      'delivered, waiting for input_accepted',
    );
    assert.equal(approvalView({ ...base, reply: { ...sending, status: 'accepted' } }).phase, 'closed');
    assert.equal(
      approvalView({ ...base, reply: { ...sending, status: 'sent' }, unconfirmed: true }).phase,
      'closed',
      'a plain server never confirms',
    );
  });

  it('shows the refusal and allows another try', () => {
    const view = approvalView({
      ...base,
      reply: { resumeToken: 'T1', text: 'yes', status: 'rejected', error: refused },
    });
    assert.equal(view.phase, 'open');
    assert.deepEqual(view.error, refused);
    const lost = approvalView({
      ...base,
      reply: { resumeToken: 'T1', text: 'yes', status: 'undelivered', error: refused },
    });
    assert.equal(lost.phase, 'open');
    assert.deepEqual(lost.error, refused);
  });

  it('ignores replies to other requests', () => {
    const view = approvalView({
      ...base,
      reply: { resumeToken: 'OLD', text: 'no', status: 'rejected', error: refused },
    });
    assert.deepEqual(view, { phase: 'open', request, error: null, remainingMs: null });
  });

  it('counts down to expires_at and then is expired', () => {
    const expiring = { ...request, expires_at: '2030-01-01T00:01:00.000Z' };
    const at = Date.parse('2030-01-01T00:00:00.000Z');
    assert.equal(deadlineOf(expiring), at + 60_000);
    assert.equal(approvalView({ ...base, pending: expiring, now: at }).remainingMs, 60_000);
    assert.equal(approvalView({ ...base, pending: expiring, now: at + 60_000 }).phase, 'expired');
    assert.equal(deadlineOf({ ...request, expires_at: 'soon' }), null);
  });

  it('is dismissed for the dismissed token only', () => {
    assert.equal(approvalView({ ...base, dismissed: 'T1' }).phase, 'dismissed');
    assert.equal(approvalView({ ...base, dismissed: 'T0' }).phase, 'open');
  });
});

describe('formatRemaining', () => {
  it('rounds up to the second', () => {
    assert.equal(formatRemaining(0), '0:00');
    assert.equal(formatRemaining(1), '0:01');
    assert.equal(formatRemaining(59_001), '1:00');
    assert.equal(formatRemaining(3_600_000 + 61_000), '1:01:01');
  });
});

describe('toTypedError', () => {
  it('keeps code and message of typed errors, wraps anything else', () => {
    assert.deepEqual(toTypedError(refused), refused);
    assert.deepEqual(toTypedError(new Error('x')), { code: 'reply_failed', message: 'x' });
    assert.deepEqual(toTypedError('nope'), { code: 'reply_failed', message: 'nope' });
  });
});
