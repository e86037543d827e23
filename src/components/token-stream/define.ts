/** Registers `<token-stream>` (side effect: import once). */
import { TokenStream } from './token-stream.ts';

TokenStream.define('token-stream');

declare global {
  interface HTMLElementTagNameMap {
    'token-stream': TokenStream;
  }
}
