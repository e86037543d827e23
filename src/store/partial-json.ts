/**
 * Lenient parsing of JSON text that may be cut short: a tool call's arguments while they stream
 * (`tool_call_delta`). What the text says so far is returned as a value; a piece that cannot mean
 * anything yet (a half key, `tr` of `true`, a lone `-`) is left out. The parser is incremental:
 * each piece of text is read once, so a call whose arguments grow to megabytes (a file being
 * written) costs what each new piece holds, not the whole text again per frame. Hand-written
 * rather than a dependency: the maintained packages for this (partial-json,
 * best-effort-json-parser) ship CommonJS only, which native-ESM consumers of agentwire could not
 * import, and re-parse the whole text each time.
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

/** `PartialJsonParser.peek` cuts the string being read to this many characters. */
export const PEEK_STRING_LENGTH = 4096;

/** Nothing usable at this position (the end came first). */
const NONE: unique symbol = Symbol('none');

/** What the parser expects next. */
const VALUE = 0; // a value (in an array: or its end)
const KEY = 1; // an object's key (or its end)
const COLON = 2;
const AFTER = 3; // after a value: a comma or the container's end (at the top: nothing but spaces)
const STRING = 4;
const NUMBER = 5;
const WORD = 6; // true, false, null
type Mode = typeof VALUE | typeof KEY | typeof COLON | typeof AFTER | typeof STRING | typeof NUMBER | typeof WORD;

/** A number's text longer than this is refused. */
const MAX_NUMBER = 400;
/** A whole JSON number. */
const WHOLE_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** What a number's characters may be so far (every start of a match matches too: read one character at a time). */
const NUMBER_SO_FAR = /^-?(?:0|[1-9]\d*)?(?:\.\d*)?(?:[eE][+-]?\d*)?$/;
/** The longest start of a number's characters that is a whole number (`12.` is 12, `1e` is 1). */
const NUMBER_START = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const HEX = /^[0-9a-fA-F]$/;
/** What ends a run of plain characters in a string (see `readString`). */
const STRING_STOP = /["\\\p{Cc}]/gu;

/** A container still open, holding its finished children (the open one is attached when it ends). */
type Open = { readonly items: unknown[] } | { readonly entries: Record<string, unknown>; key: string | null };

/** The parser's reading: `push` reads a piece; `build` gives what was read, the string being read being its start or all of it. */
interface Reader {
  push(piece: string): void;
  build(head: boolean): PartialJson | null;
}

/**
 * Incremental lenient JSON parser: `push` each piece of the text as it arrives, read `result`
 * when needed. Reading costs the open containers' sizes (they are copied, so a result is never
 * changed by a later push); pushing costs the piece.
 */
export class PartialJsonParser {
  private readonly reader = reader();
  private cached: PartialJson | null | undefined;
  private peeked: PartialJson | null | undefined;

  /** Read the next piece of the text. */
  push(piece: string): this {
    if (piece !== '') {
      this.cached = this.peeked = undefined;
      this.reader.push(piece);
    }
    return this;
  }

  /** What the text read so far describes; null once it is not (the start of) JSON. */
  get result(): PartialJson | null {
    return this.cached === undefined ? (this.cached = this.reader.build(false)) : this.cached;
  }

  /**
   * `result`, but with the string being read cut to its first PEEK_STRING_LENGTH characters. A
   * string that grows with every piece (a file being written) is a new string each time, and the
   * engine joins its pieces whenever it is read: a preview that needs only its start reads this.
   */
  get peek(): PartialJson | null {
    return this.peeked === undefined ? (this.peeked = this.reader.build(true)) : this.peeked;
  }
}

/** The state machine behind PartialJsonParser (closures: the state is local, and small once minified). */
function reader(): Reader {
  const stack: Open[] = [];
  let mode: Mode = VALUE;
  /** The top-level value once it is whole. */
  let root: unknown = NONE;
  /** False once a trailing comma was let through (the text is then never JSON.parse's). */
  let strict = true;
  let failed = false;
  /** A comma was the last thing read (a container closed now had a trailing comma). */
  let comma = false;
  /** The string being read, its first PEEK_STRING_LENGTH characters, whether it is a key, and an escape cut in half (`\`, `\u00`). */
  let text = '';
  let head = '';
  let isKey = false;
  let escape = '';
  /** The number or word being read. */
  let token = '';

  /** A value ended: it goes into its container, or is the whole value. */
  const finish = (value: unknown): void => {
    mode = AFTER;
    comma = false;
    const open = stack.at(-1);
    if (!open) root = value;
    else if ('items' in open) open.items.push(value);
    else {
      define(open.entries, open.key!, value);
      open.key = null;
    }
  };

  /** Close the innermost container (its end character was read). */
  const close = (): true => {
    if (comma) strict = false;
    const open = stack.pop()!;
    finish('items' in open ? open.items : open.entries);
    return true;
  };

  const startString = (key: boolean): true => {
    mode = STRING;
    isKey = key;
    text = head = '';
    return true;
  };

  /** Add to the string being read. */
  const append = (characters: string): void => {
    text += characters;
    if (head.length < PEEK_STRING_LENGTH) head += characters.slice(0, PEEK_STRING_LENGTH - head.length);
  };

  const readWord = (c: string): boolean => {
    const word = token + c;
    const meant = LITERALS.find(([literal]) => literal.startsWith(word));
    if (!meant) return false;
    token = word;
    if (word === meant[0]) finish(meant[1]);
    return true;
  };

  const startValue = (c: string): boolean => {
    const open = stack.at(-1);
    if (c === ']' && open && 'items' in open) return close();
    if (stack.length > MAX_PARTIAL_JSON_DEPTH) return false;
    comma = false;
    if (c === '{') {
      stack.push({ entries: {}, key: null });
      mode = KEY;
    } else if (c === '[') stack.push({ items: [] });
    else if (c === '"') startString(false);
    else if (c === '-' || (c >= '0' && c <= '9')) {
      mode = NUMBER;
      token = c;
    } else {
      mode = WORD;
      token = '';
      return readWord(c);
    }
    return true;
  };

  const afterValue = (c: string): boolean => {
    const open = stack.at(-1);
    if (!open) return false;
    const isArray = 'items' in open;
    if (c === (isArray ? ']' : '}')) return close();
    if (c !== ',') return false;
    mode = isArray ? VALUE : KEY;
    comma = true;
    return true;
  };

  /** Read one character of an escape; false when it is not one. */
  const readEscape = (c: string): boolean => {
    if (escape === '\\') {
      if (c === 'u') escape = '\\u';
      else {
        const simple = ESCAPES[c];
        if (simple === undefined) return false;
        append(simple);
        escape = '';
      }
    } else if (!HEX.test(c)) return false;
    else if (escape.length < 5) escape += c;
    else {
      append(String.fromCharCode(parseInt(escape.slice(2) + c, 16)));
      escape = '';
    }
    return true;
  };

  /** Read string characters from `piece[i]` on; returns where reading stopped, or -1. */
  const readString = (piece: string, i: number): number => {
    if (escape !== '') return readEscape(piece[i]!) ? i + 1 : -1;
    let at = piece.length;
    // What a string cannot hold as it is: `"`, `\` and control characters (U+0000–U+001F; the
    // class also finds U+007F–U+009F, which a string may hold).
    for (STRING_STOP.lastIndex = i; STRING_STOP.exec(piece);) {
      const code = piece.charCodeAt(STRING_STOP.lastIndex - 1);
      if (code < 0x7f) {
        at = STRING_STOP.lastIndex - 1;
        break;
      }
    }
    append(piece.slice(i, at));
    if (at === piece.length) return at;
    const c = piece[at]!;
    // A control character must be escaped.
    if (c !== '"' && c !== '\\') return -1;
    if (c === '\\') escape = '\\';
    else if (isKey) {
      (stack.at(-1) as { key: string | null }).key = text;
      mode = COLON;
    } else finish(text);
    return at + 1;
  };

  const colon = (c: string): boolean => {
    mode = VALUE;
    return c === ':';
  };

  /** Read from `piece[i]` on; returns where to go on, or -1 when the text is not JSON. */
  const step = (piece: string, i: number): number => {
    if (mode === STRING) return readString(piece, i);
    const c = piece[i]!;
    if (mode === NUMBER) {
      if (NUMBER_SO_FAR.test(token + c)) {
        // A number's text longer than MAX_NUMBER is refused.
        if (token.length >= MAX_NUMBER) return -1;
        token += c;
        return i + 1;
      }
      // The number ended before `c`, which is read next as what follows it.
      if (!WHOLE_NUMBER.test(token)) return -1;
      finish(Number(token));
      return i;
    }
    const ok =
      mode === WORD
        ? readWord(c)
        : c === ' ' || c === '\n' || c === '\r' || c === '\t'
          ? true
          : mode === VALUE
            ? startValue(c)
            : mode === KEY
              ? c === '}'
                ? close()
                : c === '"' && startString(true)
              : mode === COLON
                ? colon(c)
                : afterValue(c);
    return ok ? i + 1 : -1;
  };

  /** The scalar being read, as far as it means something (`string`: the string being read, or its start). */
  const pending = (string: string): unknown => {
    if (mode === STRING) return isKey ? NONE : string;
    if (mode === NUMBER) {
      const usable = NUMBER_START.exec(token);
      return usable ? Number(usable[0]) : NONE;
    }
    return NONE;
  };

  return {
    push(piece) {
      for (let i = 0; i < piece.length && !failed;) {
        i = step(piece, i);
        failed = i < 0;
      }
    },
    build(cut) {
      if (failed) return null;
      let value = stack.length === 0 && root !== NONE ? root : pending(cut ? head : text);
      for (let k = stack.length - 1; k >= 0; k--) {
        const open = stack[k]!;
        if ('items' in open) {
          const items = open.items.slice();
          if (value !== NONE) items.push(value);
          value = items;
        } else {
          const entries = { ...open.entries };
          if (value !== NONE && open.key !== null) define(entries, open.key, value);
          value = entries;
        }
      }
      const whole =
        stack.length === 0 &&
        strict &&
        ((mode === AFTER && root !== NONE) || (mode === NUMBER && WHOLE_NUMBER.test(token)));
      return { value: value === NONE ? undefined : value, complete: whole };
    },
  };
}

/**
 * Parse `text`, which may be the beginning of a JSON value. Returns null when it is not JSON (nor
 * the start of it): something other than whitespace after a whole value, a character JSON does
 * not allow, or nesting deeper than MAX_PARTIAL_JSON_DEPTH. Objects are built without prototypes
 * being touched (a `"__proto__"` key is an own property, as with JSON.parse). O(text).
 */
export function parsePartialJson(text: string): PartialJson | null {
  try {
    return { value: JSON.parse(text) as unknown, complete: true };
  } catch {
    // Cut short or malformed: parse leniently.
  }
  return new PartialJsonParser().push(text).result;
}

/** Set an own property, even `__proto__` (as JSON.parse does). */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
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
