/** B1's baseline: the Lit element most people write first, re-rendering the whole text on every token. */
import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';

/** Shows `text` in a scrolling box; every change re-renders (and re-lays out) all of it. */
export class NaiveStream extends LitElement {
  static override styles = css`
    .viewport {
      max-height: 24rem;
      overflow-y: auto;
      padding: 0.75rem;
      border: 1px solid #ccc;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
  `;

  /** The whole text so far. */
  @property({ attribute: false }) text = '';

  /** The scrolling box (the driver keeps it at the end once per frame, as ours does). */
  get viewport(): HTMLElement | null {
    return this.renderRoot.querySelector('.viewport');
  }

  protected override render(): unknown {
    return html`<div class="viewport">${this.text}</div>`;
  }
}

/** Register `<naive-stream>` (called explicitly: package.json lists only src define modules as side effects). */
export function defineNaiveStream(): void {
  if (!customElements.get('naive-stream')) customElements.define('naive-stream', NaiveStream);
}

declare global {
  interface HTMLElementTagNameMap {
    'naive-stream': NaiveStream;
  }
}
