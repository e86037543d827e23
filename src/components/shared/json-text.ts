/** Untrusted JSON data as text for people: pretty, bounded, never markup. */

/** Longest JSON text shown for tool arguments, results or an unknown event's data. */
export const MAX_JSON_TEXT = 4000;
const jsonCache = new WeakMap<object, string>();

/** Pretty JSON of untrusted data (unbounded). */
export function fullJson(data: unknown): string {
  try {
    // JSON.stringify returns undefined for undefined, functions and symbols (its lib type says string).
    const json: unknown = JSON.stringify(data, null, 2);
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
