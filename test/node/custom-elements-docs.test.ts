/**
 * Every element's description in custom-elements.json (and so in Storybook's docs pages) is the
 * whole prose of its class JSDoc. The analyzer reads the JSDoc with TypeScript, which takes an
 * "@" after a space for the start of a tag even mid-sentence: "through @lit/context" cut the
 * description of `<agent-run>` at "through". Package names in prose go in backticks.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import type * as TypeScript from 'typescript';

interface Declaration {
  name?: string;
  tagName?: string;
  description?: string;
}
interface Analyzer {
  create(options: { modules: TypeScript.SourceFile[]; plugins?: unknown[] }): {
    modules: { declarations?: Declaration[] }[];
  };
  ts: typeof TypeScript;
}

const COMPONENTS = resolve(import.meta.dirname, '../../src/components');

/** The component sources the manifest is built from (`npm run analyze`: no tests). */
const sources = readdirSync(COMPONENTS, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => join(COMPONENTS, f));

/** The prose of each exported class's JSDoc: the lines before its first tag, whitespace collapsed. */
function classProse(text: string): Map<string, string> {
  const prose = new Map<string, string>();
  for (const match of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export class (\w+)/g)) {
    const lines = match[1]!.split('\n').map((line) => line.replace(/^\s*\*\s?/, ''));
    const firstTag = lines.findIndex((line) => line.startsWith('@'));
    const body = (firstTag === -1 ? lines : lines.slice(0, firstTag)).join(' ');
    prose.set(match[2]!, body.replace(/\s+/g, ' ').trim());
  }
  return prose;
}

describe('custom-elements.json descriptions', () => {
  it('hold the whole class JSDoc prose of every element (an "@" in prose does not cut them)', async () => {
    const analyzer = (await import('@custom-elements-manifest/analyzer')) as unknown as Analyzer;
    const { ts } = analyzer;
    const texts = sources.map((file) => readFileSync(file, 'utf8'));
    const modules = sources.map((file, i) => ts.createSourceFile(file, texts[i]!, ts.ScriptTarget.ES2022, true));
    const manifest = analyzer.create({ modules });
    const expected = new Map(texts.flatMap((text) => [...classProse(text)]));
    const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName);
    assert.ok(elements.length >= 5, `the elements are in the manifest (found ${elements.length})`);
    for (const element of elements) {
      const prose = expected.get(element.name ?? '');
      assert.ok(prose, `<${element.tagName}>: its class ${element.name} has a JSDoc`);
      assert.equal(
        (element.description ?? '').replace(/\s+/g, ' ').trim(),
        prose,
        `<${element.tagName}>'s description`,
      );
    }
  });
});
