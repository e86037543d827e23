/**
 * The incremental renderer against the whole-text render: for random chunkings of every
 * CommonMark spec example and of longer answers (fast-check, fixed seed), the final DOM equals
 * rendering the whole text at once, and the nodes of final blocks are the same objects in every
 * later frame (never re-created, so never re-highlighted).
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { MarkdownRenderer } from '../../../src/markdown/renderer.ts';
import { renderMarkdown } from '../../../src/markdown/render-document.ts';
import { SPEC_EXAMPLES } from './spec-examples.ts';
import { REALISTIC_ANSWER, TORTURE } from './corpus.ts';

const SEED = 20261212;
const OPTIONS = { imageOrigins: ['https://images.example.com'] };

/** Split `text` at `cuts` (positions, any order, duplicates allowed). */
function chunks(text: string, cuts: readonly number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const cut of [...at, text.length]) {
    if (cut > from) out.push(text.slice(from, cut));
    from = cut;
  }
  return out;
}

function reference(text: string): HTMLElement {
  const div = document.createElement('div');
  div.append(renderMarkdown(text, OPTIONS));
  return div;
}

/** Stream `parts` with a render after each; returns the problems found (empty when none). */
function stream(parts: readonly string[]): string[] {
  const problems: string[] = [];
  const root = document.createElement('div');
  const renderer = new MarkdownRenderer(root, OPTIONS);
  const seen: Node[] = [];
  const seenCode: Element[] = [];
  for (const part of parts) {
    renderer.append(part);
    renderer.render();
    for (const [i, node] of seen.entries()) {
      if (node.parentNode !== root) problems.push(`final block ${i} was removed or replaced`);
    }
    for (const code of seenCode)
      if (!code.isConnected && !root.contains(code)) problems.push('a final code block was re-created');
    const frozen = renderer.frozenNodes;
    for (let i = 0; i < seen.length; i++) if (frozen[i] !== seen[i]) problems.push(`final node ${i} changed identity`);
    for (const node of frozen.slice(seen.length)) {
      seen.push(node);
      if (node instanceof Element)
        seenCode.push(...(node.matches('.code-block') ? [node] : node.querySelectorAll('.code-block')));
    }
    if (problems.length > 0) break;
  }
  renderer.finish();
  const text = parts.join('');
  const expected = reference(text);
  if (!root.isEqualNode(expected))
    problems.push(`final DOM differs:\n  ours:     ${root.innerHTML}\n  expected: ${expected.innerHTML}`);
  for (const code of seenCode) if (!root.contains(code)) problems.push('a final code block is not in the final DOM');
  renderer.dispose();
  return problems;
}

describe('markdown: incremental rendering equals the whole-text render', function () {
  this.timeout(120_000);

  it('every spec example, streamed one character at a time and in random chunks', () => {
    const failures: string[] = [];
    for (const example of SPEC_EXAMPLES) {
      const text = example.markdown;
      const byChar = stream(Array.from(text, (char) => char));
      if (byChar.length > 0) failures.push(`#${example.number} by character: ${byChar[0]!}`);
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 8 }), (cuts) => {
          const problems = stream(chunks(text, cuts));
          if (problems.length > 0)
            failures.push(`#${example.number} chunked ${JSON.stringify(chunks(text, cuts))}: ${problems[0]!}`);
          return true;
        }),
        { seed: SEED + example.number, numRuns: 5 },
      );
      if (failures.length > 8) break;
    }
    expect(failures, failures.slice(0, 4).join('\n')).to.deep.equal([]);
  });

  for (const [name, text] of [
    ['a realistic answer', REALISTIC_ANSWER],
    ['the torture text', TORTURE],
    ['both, twice', `${REALISTIC_ANSWER}\n${TORTURE}\n${REALISTIC_ANSWER}\n${TORTURE}`],
  ] as const) {
    it(`${name}: random chunkings (fast-check, seed ${SEED})`, () => {
      fc.assert(
        fc.property(fc.array(fc.nat({ max: text.length }), { minLength: 1, maxLength: 400 }), (cuts) => {
          const problems = stream(chunks(text, cuts));
          expect(problems, problems.join('\n')).to.deep.equal([]);
        }),
        { seed: SEED, numRuns: 60 },
      );
    });
  }

  it('a text token by token (as a model streams it) freezes blocks as they end', () => {
    const root = document.createElement('div');
    const renderer = new MarkdownRenderer(root, OPTIONS);
    const tokens = REALISTIC_ANSWER.match(/\s*\S+|\s+$/g)!;
    let frozen = 0;
    for (const token of tokens) {
      renderer.append(token);
      renderer.render();
      expect(renderer.frozenBlocks).to.be.at.least(frozen, 'final blocks never go back to open');
      frozen = renderer.frozenBlocks;
    }
    expect(frozen).to.be.greaterThan(8, 'most blocks are final before the end');
    renderer.finish();
    expect(root.isEqualNode(reference(REALISTIC_ANSWER))).to.equal(true);
  });
});
