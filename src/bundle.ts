/**
 * The self-contained bundle (`dist/agentwire.bundle.js`): every export of agentwire with lit,
 * @lit/context, nanostores and the other dependencies inside, and every element registered. A
 * plain HTML page needs this one module script and no build step.
 */
export * from './index.ts';
import './components/define.ts';
