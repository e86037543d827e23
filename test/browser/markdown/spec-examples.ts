/** The CommonMark 0.31.2 spec examples (package commonmark-spec), extracted the way its own index.js does. */
import specText from '../../../node_modules/commonmark-spec/spec.txt?raw';

/** One spec example. */
export interface SpecExample {
  readonly number: number;
  readonly section: string;
  readonly markdown: string;
  readonly html: string;
}

/** Every example, tabs written as → in the spec turned back into tabs. */
export const SPEC_EXAMPLES: readonly SpecExample[] = (() => {
  const out: SpecExample[] = [];
  let section = '';
  const text = specText.replace(/\r\n?/g, '\n').replace(/^<!-- END TESTS -->(.|[\n])*/m, '');
  const pattern = /^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$|^#{1,6} *(.*)$/gm;
  for (const match of text.matchAll(pattern)) {
    if (match[3] !== undefined) section = match[3];
    else
      out.push({
        number: out.length + 1,
        section,
        markdown: match[1]!.replace(/→/g, '\t'),
        html: match[2]!.replace(/→/g, '\t'),
      });
  }
  return out;
})();
