/** The Backends stories' check of the text shown against a protocol route's transcript (stories/support/backends.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTranscript } from '../../stories/support/backends.ts';

const transcript = {
  asked: ['Checking the build first.', 'Build #412 passed. '],
  approved: ['Deployed build #412 to production.'],
  denied: ['Understood: nothing was deployed.'],
};

describe('checkTranscript', () => {
  it('waiting for the answer: the asked messages, exactly', () => {
    assert.deepEqual(checkTranscript(transcript.asked, transcript, 'waiting'), {
      ok: true,
      expected: 'before the approval',
      problems: [],
    });
  });

  it('fails when nothing is shown, a message is missing, doubled, or its text differs', () => {
    for (const shown of [
      [],
      ['Checking the build first.'],
      [...transcript.asked, 'Build #412 passed. '],
      ['Checking the build first.', 'Build #412 passed.'],
      ['Checking the build first.Build #412 passed. '],
    ]) {
      const result = checkTranscript(shown, transcript, 'waiting');
      assert.equal(result.ok, false, JSON.stringify(shown));
      assert.ok(result.problems.length > 0);
    }
  });

  it('done: the asked messages and the approved or the denied answer; not the asked ones alone', () => {
    assert.equal(
      checkTranscript([...transcript.asked, ...transcript.approved], transcript, 'done').expected,
      'approved',
    );
    assert.equal(checkTranscript([...transcript.asked, ...transcript.denied], transcript, 'done').expected, 'denied');
    const early = checkTranscript(transcript.asked, transcript, 'done');
    assert.equal(early.ok, false);
    assert.match(early.problems.join('\n'), /approved: 2 messages shown, 3 expected/);
  });

  it('still streaming: the start of the messages, the last one possibly partial', () => {
    assert.equal(checkTranscript(['Checking the build first.', 'Build #4'], transcript, 'running').ok, true);
    assert.equal(checkTranscript(['Checking the'], transcript, 'running').ok, true);
    assert.equal(checkTranscript(['Checking the bild'], transcript, 'running').ok, false);
    // Only the last may be partial.
    assert.equal(checkTranscript(['Checking the', 'Build #412 passed. '], transcript, 'running').ok, false);
  });
});
