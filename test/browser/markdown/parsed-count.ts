import { getParser } from '../../../src/markdown/parser.ts';

/** How many characters markdown-it's `block` or `inline` parser (of the GFM parser) read while `during` ran. */
export function charactersParsed(level: 'block' | 'inline', during: () => void): number {
  const parser = getParser(true).md[level];
  const parse = parser.parse.bind(parser);
  let parsed = 0;
  parser.parse = (src, ...rest) => {
    parsed += src.length;
    parse(src, ...rest);
  };
  try {
    during();
  } finally {
    parser.parse = parse;
  }
  return parsed;
}
