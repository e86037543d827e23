/** Registers every agentwire element (side effect: import once). */
import './agent-run/define.ts';
import './run-progress/define.ts';
import './token-stream/define.ts';
import './agent-log/define.ts';
import './approval-prompt/define.ts';
import './run-composer/define.ts';
