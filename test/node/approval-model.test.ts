import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NeedInputEvent } from '../../src/protocol/index.ts';
import type { ApprovalInputs } from '../../src/components/approval-prompt/approval-model.ts';
import {
  answerShape,
  deadlineOf,
  formatRemaining,
  lateAnswer,
  promptPhase,
  requestViews,
  toTypedError,
} from '../../src/components/approval-prompt/approval-model.ts';
import type { ReplyState } from '../../src/run/reply-tracker.ts';

const request: NeedInputEvent = { type: 'need_input', prompt: 'Deploy?', resume_token: 'T1', choices: ['yes', 'no'] };
const second: NeedInputEvent = { type: 'need_input', prompt: 'Restart?', resume_token: 'T2', kind: 'approval' };
const base: ApprovalInputs = {
  pending: [request],
  replies: new Map(),
  refusals: new Map(),
  now: 0,
  unconfirmed: false,
};
const refused = { code: 'stale_resume_token', message: 'this resume_token has expired' };
const replies = (...list: ReplyState[]) => new Map(list.map((r) => [r.resumeToken, r]));
const one = (inputs: Partial<ApprovalInputs>) => requestViews({ ...base, ...inputs })[0];

describe('requestViews', () => {
  it('has no card without a request, one open card per request, in order, with its place and the count', () => {
    assert.deepEqual(requestViews({ ...base, pending: [] }), []);
    const views = requestViews({ ...base, pending: [request, second] });
    assert.deepEqual(
      views.map((v) => [v.request.resume_token, v.phase, v.index, v.total, v.error, v.remainingMs]),
      [
        ['T1', 'open', 0, 2, null, null],
        ['T2', 'open', 1, 2, null, null],
      ],
    );
  });

  it('is sending while the answer is in flight, gone once accepted; each request on its own', () => {
    const sending = { resumeToken: 'T1', text: 'yes', status: 'sending', error: null } as const;
    assert.equal(one({ replies: replies(sending) })?.phase, 'sending');
    assert.equal(
      one({ replies: replies({ ...sending, status: 'sent' }) })?.phase,
      'sending',
      'delivered, waiting for input_accepted',
    );
    assert.equal(one({ replies: replies({ ...sending, status: 'accepted' }) }), undefined);
    assert.equal(
      one({ replies: replies({ ...sending, status: 'sent' }), unconfirmed: true }),
      undefined,
      'a plain server never confirms',
    );
    const both = requestViews({
      ...base,
      pending: [request, second],
      replies: replies({ ...sending, status: 'accepted' }),
    });
    assert.deepEqual(
      both.map((v) => [v.request.resume_token, v.index, v.total]),
      [['T2', 0, 1]],
      'the other request stays answerable, now 1 of 1',
    );
  });

  it('shows the refusal and allows another try; a refusal here (too late) wins', () => {
    const rejected = one({ replies: replies({ resumeToken: 'T1', text: 'yes', status: 'rejected', error: refused }) });
    assert.equal(rejected?.phase, 'open');
    assert.deepEqual(rejected.error, refused);
    const lost = one({ replies: replies({ resumeToken: 'T1', text: 'yes', status: 'undelivered', error: refused }) });
    assert.equal(lost?.phase, 'open');
    const late = lateAnswer({ ...request, expires_at: '2030-01-01T00:00:00Z' });
    assert.equal(late.code, 'request_expired');
    assert.match(late.message, /^This request expired at .+: your answer was not sent\.$/);
    assert.deepEqual(one({ refusals: new Map([['T1', late]]) })?.error, late);
  });

  it('ignores replies to other requests', () => {
    const view = one({ replies: replies({ resumeToken: 'OLD', text: 'no', status: 'rejected', error: refused }) });
    assert.equal(view?.phase, 'open');
    assert.equal(view.error, null);
  });

  it('counts down to expires_at and then is expired', () => {
    const expiring = { ...request, expires_at: '2030-01-01T00:01:00.000Z' };
    const at = Date.parse('2030-01-01T00:00:00.000Z');
    assert.equal(deadlineOf(expiring), at + 60_000);
    assert.equal(one({ pending: [expiring], now: at })?.remainingMs, 60_000);
    assert.equal(one({ pending: [expiring], now: at + 60_000 })?.phase, 'expired');
    assert.equal(deadlineOf({ ...request, expires_at: 'soon' }), null);
  });
});

describe('promptPhase', () => {
  it('is closed without cards, dismissed when every card was put aside, else the first card’s', () => {
    const views = requestViews({ ...base, pending: [request, second] });
    assert.equal(promptPhase([], new Set()), 'closed');
    assert.equal(promptPhase(views, new Set()), 'open');
    assert.equal(promptPhase(views, new Set(['T1'])), 'open', 'a new request brings the prompt back');
    assert.equal(promptPhase(views, new Set(['T1', 'T2'])), 'dismissed');
  });
});

describe('answerShape', () => {
  it('approval, form (or JSON when the schema is more than a form), choices, text', () => {
    assert.deepEqual(answerShape(second), { kind: 'approval' });
    assert.deepEqual(answerShape(request), { kind: 'choices', choices: ['yes', 'no'] });
    assert.deepEqual(answerShape({ ...request, choices: undefined }), { kind: 'text' });
    const form = answerShape({ ...request, response_schema: { type: 'string', enum: ['a', 'b'] } });
    assert.equal(form.kind, 'form');
    const json = answerShape({ ...request, response_schema: { $ref: '#/x' } });
    assert.equal(json.kind, 'json');
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
