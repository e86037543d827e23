/** The base class of every agentwire element: Lit, plus guarded registration (`static define`). */
import { LitElement } from 'lit';
import { ensureContextRoot } from '../context/run-context.ts';
import { defineElement } from './define-element.ts';

/** A LitElement that registers itself with `Element.define(tag)` (Shoelace's `ShoelaceElement.define` is the model). */
export class AgentwireElement extends LitElement {
  /**
   * Register this class as `tag` unless the tag is taken (another class holding it is warned
   * about, never thrown on). Also makes elements upgraded before their `<agent-run>` find it.
   */
  static define(tag: string): void {
    ensureContextRoot();
    defineElement(tag, this);
  }
}
