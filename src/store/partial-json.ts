/**
 * Lenient parsing of JSON text that may be cut short: a tool call's arguments while they stream
 * (`tool_call_delta`). What the text says so far is returned as a value; a piece that cannot mean
 * anything yet (a half key, `tr` of `true`, a lone `-`) is left out. Hand-written rather than a
 * dependency: the maintained packages for this (partial-json, best-effort-json-parser) ship
 * CommonJS only, which native-ESM consumers of agentwire could not import.
 */

/** What `parsePartialJson` made of a text. */
export interface PartialJson {
  /** The value the text describes so far (`undefined` when it says nothing yet). */
  readonly value: unknown;
  /** True when the text is one whole JSON value (JSON.parse would accept it). */
  readonly complete: boolean;
}

/** Nesting deeper than this is refused (the text is then not JSON for this purpose). */
export const MAX_PARTIAL_JSON_DEPTH = 256;

/** Nothing usable at this position (the end came first). */
const NONE: unique symbol = Symbol('none');

/** The text is not (the start of) JSON. */
class Malformed extends Error {}

/**
 * Parse `text`, which may be the beginning of a JSON value. Returns null when it is not JSON (nor
 * the start of it): something other than whitespace after a whole value, a character JSON does
 * not allow, or nesting deeper than MAX_PARTIAL_JSON_DEPTH. Objects are built without prototypes
 * being touched (a `"__proto__"` key is an own property, as with JSON.parse). O(text).
 */
export function parsePartialJson(text: string): PartialJson | null {
  if (text.trim() === '') return { value: undefined, complete: false };
  try {
    return { value: JSON.parse(text) as unknown, complete: true };
  } catch {
    // Cut short or malformed: parse leniently below.
  }
  let i = 0;
  const n = text.length;
  /** `cut`: the end of the text was reached inside a value; everything after that is unknown. */
  const at = { cut: false };
  const isCut = (): boolean => at.cut;

  const space = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      i++;
    }
  };

  const atEnd = (): boolean => {
    space();
    if (i >= n) at.cut = true;
    return at.cut;
  };

  const value = (depth: number): unknown => {
    if (depth > MAX_PARTIAL_JSON_DEPTH) throw new Malformed('too deep');
    if (atEnd()) return NONE;
    const c = text[i]!;
    if (c === '{') return object(depth);
    if (c === '[') return array(depth);
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    return literal();
  };

  const object = (depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    i++;
    for (;;) {
      if (atEnd()) return out;
      if (text[i] === '}') {
        i++;
        return out;
      }
      if (text[i] !== '"') throw new Malformed('key expected');
      const key = string();
      if (isCut() || atEnd()) return out;
      if (text[i] !== ':') throw new Malformed('colon expected');
      i++;
      const item = value(depth + 1);
      if (item === NONE) return out;
      Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
      if (isCut() || atEnd()) return out;
      if (text[i] === ',') i++;
      else if (text[i] !== '}') throw new Malformed('comma expected');
    }
  };

  const array = (depth: number): unknown[] => {
    const out: unknown[] = [];
    i++;
    for (;;) {
      if (atEnd()) return out;
      if (text[i] === ']') {
        i++;
        return out;
      }
      const item = value(depth + 1);
      if (item === NONE) return out;
      out.push(item);
      if (isCut() || atEnd()) return out;
      if (text[i] === ',') i++;
      else if (text[i] !== ']') throw new Malformed('comma expected');
    }
  };

  const string = (): string => {
    i++;
    let out = '';
    let from = i;
    while (i < n) {
      const c = text[i]!;
      if (c === '"') {
        out += text.slice(from, i);
        i++;
        return out;
      }
      if (c === '\\') {
        out += text.slice(from, i);
        const escaped = escape();
        if (escaped === null) {
          at.cut = true;
          return out;
        }
        out += escaped;
        from = i;
        continue;
      }
      if (c < ' ') throw new Malformed('control character in a string');
      i++;
    }
    at.cut = true;
    return out + text.slice(from, i);
  };

  /** The character of the escape at `i` (a backslash), or null when the text ends inside it. */
  const escape = (): string | null => {
    const c = text[i + 1];
    if (c === undefined) {
      i = n;
      return null;
    }
    const simple = ESCAPES[c];
    if (simple !== undefined) {
      i += 2;
      return simple;
    }
    if (c !== 'u') throw new Malformed('bad escape');
    const hex = text.slice(i + 2, i + 6);
    if (!/^[0-9a-fA-F]*$/.test(hex)) throw new Malformed('bad unicode escape');
    if (hex.length < 4) {
      i = n;
      return null;
    }
    i += 6;
    return String.fromCharCode(parseInt(hex, 16));
  };

  const number = (): number | typeof NONE => {
    const match = /^-?(?:0|[1-9]\d*)?(?:\.\d*)?(?:[eE][+-]?\d*)?/.exec(text.slice(i, i + 400))!;
    const raw = match[0];
    i += raw.length;
    if (i >= n) at.cut = true;
    else if (!/^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(raw)) throw new Malformed('bad number');
    // Cut inside the number: its longest meaningful start ("12." is 12, "1e" is 1, "-" nothing).
    const usable = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(raw);
    return usable ? Number(usable[0]) : NONE;
  };

  const literal = (): boolean | null | typeof NONE => {
    for (const [word, meaning] of LITERALS) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return meaning;
      }
      const rest = text.slice(i);
      if (rest.length < word.length && word.startsWith(rest)) {
        i = n;
        at.cut = true;
        return NONE;
      }
    }
    throw new Malformed('unexpected character');
  };

  try {
    const result = value(0);
    if (!isCut()) {
      space();
      if (i < n) return null;
    }
    return { value: result === NONE ? undefined : result, complete: false };
  } catch (error) {
    if (error instanceof Malformed || error instanceof RangeError) return null;
    throw error;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const LITERALS: readonly (readonly [string, boolean | null])[] = [
  ['true', true],
  ['false', false],
  ['null', null],
];
