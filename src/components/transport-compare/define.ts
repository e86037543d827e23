/** Registers `<transport-compare>` (side effect: import once). */
import { TransportCompare } from './transport-compare.ts';

TransportCompare.define('transport-compare');

declare global {
  interface HTMLElementTagNameMap {
    'transport-compare': TransportCompare;
  }
}
