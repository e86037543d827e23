/** Untrusted JSON data as text for people: pretty, bounded, never markup. */

/** Longest JSON text shown for tool arguments, results or an unknown event's data. */
export const MAX_JSON_TEXT = 4000;
/** Longest one-line preview of JSON data (a collapsed tool call's arguments or result). */
export const PREVIEW_LENGTH = 80;
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

/** Pretty JSON of untrusted data, bounded; cached per owner object when one is given. */
export function jsonText(owner: object | null, data: unknown): string {
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
 * characters with "…". Strings and arrays longer than it can show are cut before they are
 * written, so a preview of arguments still streaming (a file of megabytes) costs the same at
 * every length.
 */
export function jsonPreview(data: unknown, limit: number): string {
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
