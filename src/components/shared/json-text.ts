/** Untrusted JSON data as text for people: pretty, bounded, never markup. */
import type { AppendList } from '../../store/append-list.ts';
import { lastCharacters } from '../../store/streamed-args.ts';

/** Longest JSON text shown for tool arguments, results or an unknown event's data. */
export const MAX_JSON_TEXT = 4000;
/** Longest one-line preview of JSON data (a collapsed tool call's arguments or result). */
const PREVIEW_LENGTH = 80;
const jsonCache = new WeakMap<object, string>();

/** Pretty JSON of untrusted data (unbounded; `replacer` as JSON.stringify's). */
export function fullJson(data: unknown, replacer?: (key: string, value: unknown) => unknown): string {
  try {
    // JSON.stringify returns undefined for undefined, functions and symbols (its lib type says string).
    const json: unknown = JSON.stringify(data, replacer, 2);
    return typeof json === 'string' ? json : String(data);
  } catch {
    return String(data);
  }
}

/** `data` itself when it is an object (its JSON can be kept with it: JSON data is never changed), else null. */
export function ownerOf(data: unknown): object | null {
  return typeof data === 'object' && data !== null ? data : null;
}

/**
 * Pretty JSON of untrusted data, bounded; cached per `owner` object (by default `data` itself
 * when it is an object; null: not cached).
 */
export function jsonText(data: unknown, owner: object | null = ownerOf(data)): string {
  let text = owner ? jsonCache.get(owner) : undefined;
  if (text === undefined) {
    text = fullJson(data);
    if (text.length > MAX_JSON_TEXT)
      text = `${text.slice(0, MAX_JSON_TEXT)}\n… (${text.length - MAX_JSON_TEXT} more characters)`;
    if (owner) jsonCache.set(owner, text);
  }
  return text;
}

/**
 * One line of `data`'s pretty JSON (every run of whitespace made one space), cut at `limit`
 * characters (a log row's preview by default) with "…". Strings and arrays longer than it can
 * show are cut before they are written, so a preview of arguments still streaming (a file of
 * megabytes) costs the same at every length.
 */
export function jsonPreview(data: unknown, limit = PREVIEW_LENGTH): string {
  if (data === undefined) return '';
  // Each character of the preview comes from one or more of the pretty text (a run of whitespace
  // becomes one space): a text mostly of indentation needs a longer budget (tried again, 4×).
  for (let budget = 2 * limit + 64; ; budget *= 4) {
    const cut = { any: false };
    const shorter = (v: unknown): unknown => {
      if ((typeof v !== 'string' && !Array.isArray(v)) || v.length <= budget) return v;
      cut.any = true;
      return v.slice(0, budget);
    };
    const flat = fullJson(data, (_key, value) => shorter(value)).replace(/\s+/g, ' ');
    if (flat.length > limit) return `${flat.slice(0, limit)}…`;
    if (!cut.any) return flat;
  }
}

/**
 * A tool call's arguments as a box shows them: while they stream (`text`, else null), as written,
 * their newest MAX_JSON_TEXT characters when longer (read from the newest `pieces` when given:
 * reading the joined text copies all of it); once complete, their pretty JSON, bounded, written
 * once per arguments object.
 */
export function argumentsText(args: unknown, text: string | null, pieces: AppendList<string> | null): string {
  if (text === null) return jsonText(args);
  if (text.length <= MAX_JSON_TEXT) return text;
  let end = pieces ? lastCharacters(pieces, MAX_JSON_TEXT) : text.slice(-MAX_JSON_TEXT);
  // Not from the second half of a surrogate pair.
  if (/[\uDC00-\uDFFF]/.test(end.charAt(0))) end = end.slice(1);
  return `… (${text.length - end.length} earlier characters)\n${end}`;
}
