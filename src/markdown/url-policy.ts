/**
 * What a link or an image in untrusted markdown may point to. Addresses are resolved the way the
 * browser would resolve them (the URL parser drops tabs and newlines, folds case, applies the base
 * URL), so `java\tscript:`, `JaVaScRiPt:` or entity tricks cannot slip past a string check.
 */

/** Schemes a link may use; relative addresses resolve against the page and are allowed too. */
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const IMAGE_PROTOCOLS = new Set(['http:', 'https:']);

/** `href` resolved against `base`, or null when it does not parse. */
function resolve(href: string, base: string): URL | null {
  try {
    return new URL(href, base);
  } catch {
    return null;
  }
}

/** True when a link may point to `href`: http(s), mailto, or a relative address (resolving to one of those). */
export function isSafeLink(href: string, base: string): boolean {
  const url = resolve(href, base);
  return url !== null && LINK_PROTOCOLS.has(url.protocol);
}

/** Origins as the allow-list compares them (`https://cdn.example.com`); unparseable entries are dropped. */
export function normalizeOrigins(origins: readonly string[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const entry of origins) {
    const url = resolve(entry.trim(), 'invalid:/');
    if (url && IMAGE_PROTOCOLS.has(url.protocol)) out.add(url.origin);
  }
  return out;
}

/** True when an image at `src` may be loaded: http(s) and its origin on the allow-list. */
export function isAllowedImage(src: string, base: string, origins: ReadonlySet<string>): boolean {
  const url = resolve(src, base);
  return url !== null && IMAGE_PROTOCOLS.has(url.protocol) && origins.has(url.origin);
}
