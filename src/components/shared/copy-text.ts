/** Copy text to the clipboard from a click: the async clipboard, else a selection and the copy command. */

/** Copy `text`; resolves true when it was copied. */
export async function copyText(text: string, host: Element): Promise<boolean> {
  const clipboard = (navigator as Partial<Navigator>).clipboard;
  if (clipboard) {
    try {
      await clipboard.writeText(text);
      return true;
    } catch {
      // Refused (no permission, insecure context): fall back below.
    }
  }
  return copyBySelection(text, host);
}

/** Fallback without the async clipboard: a hidden text area next to `host`, selected and copied. */
function copyBySelection(text: string, host: Element): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  area.style.cssText = 'position:fixed;inset-block-start:0;opacity:0;pointer-events:none';
  (host.getRootNode() instanceof ShadowRoot ? (host.getRootNode() as ShadowRoot) : document.body).append(area);
  const active = focusedElement();
  area.select();
  // The deprecated command is the only synchronous copy there is; no replacement exists for this fallback.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const ok = document.execCommand('copy');
  area.remove();
  if (active instanceof HTMLElement) active.focus({ preventScroll: true });
  return ok;
}

/** The element that has focus, inside shadow roots too (the document only sees their host). */
function focusedElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
