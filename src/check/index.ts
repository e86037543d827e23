/** agentwire/check: the conformance checker of a backend (also the `agentwire-check-server` bin). */
export {
  checkServer,
  formatReport,
  type CheckOptions,
  type CheckReport,
  type CheckResult,
  type CheckStatus,
} from './checks.ts';
export { main, parseArgs, USAGE, UsageError } from './cli.ts';
