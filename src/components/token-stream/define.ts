/** Registers `<token-stream>` (side effect: import once). */
import { ensureContextRoot } from '../../context/run-context.ts';
import { defineElement } from '../define-element.ts';
import { TokenStream } from './token-stream.ts';

ensureContextRoot();
defineElement('token-stream', TokenStream);

declare global {
  interface HTMLElementTagNameMap {
    'token-stream': TokenStream;
  }
}
