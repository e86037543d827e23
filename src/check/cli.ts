/**
 * `agentwire-check-server <base-url> [options]`: checks a backend against the agentwire
 * contract (docs/PROTOCOL.md) over the wire and exits 1 when a check fails.
 *
 *   --body JSON          body of POST /api/runs for a run that ends by itself (default {})
 *   --ask-body JSON      body for a run that asks for input and waits (input, cancel, live checks)
 *   --header 'K: V'      a header on every request (repeatable), e.g. 'Authorization: Bearer …'
 *   --timeout MS         per request and per wait (default 15000)
 *   --max-events N       the backend trims run logs to about N events: check 410 events_trimmed
 *                        (skipped without it; --body and --ask-body runs must stay under N events)
 *   --trim-body JSON     body for a run of more than 2 × N + 1 events (default: --body)
 *   --no-cors            skip the CORS check      --no-socket   skip the WebSocket check
 *   --json               print the report as JSON
 */
import { checkServer, formatReport, type CheckOptions } from './checks.ts';

/** Usage text. */
export const USAGE = `usage: agentwire-check-server <base-url> [--body JSON] [--ask-body JSON] [--header 'K: V']… [--timeout MS] [--max-events N [--trim-body JSON]] [--no-cors] [--no-socket] [--json]`;

/** A command-line mistake. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** Always `usage`. */
  readonly code = 'usage';
}

function json(flag: string, text: string | undefined): unknown {
  if (text === undefined) throw new UsageError(`${flag} needs a value`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${flag} is not JSON: ${text}`);
  }
}

/** Parse the arguments (without `node` and the script). */
export function parseArgs(argv: readonly string[]): CheckOptions & { json: boolean } {
  let baseUrl: string | undefined;
  const headers: Record<string, string> = {};
  const options: { -readonly [K in keyof CheckOptions]: CheckOptions[K] } & { json: boolean } = {
    baseUrl: '',
    json: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--body') options.body = json(arg, argv[++i]);
    else if (arg === '--ask-body') options.askBody = json(arg, argv[++i]);
    else if (arg === '--trim-body') options.trimBody = json(arg, argv[++i]);
    else if (arg === '--max-events') {
      const value = argv[++i];
      const n = Number(value);
      if (value === undefined || !Number.isSafeInteger(n) || n < 1)
        throw new UsageError(`--max-events needs a positive integer, got ${JSON.stringify(value)}`);
      options.maxEvents = n;
    } else if (arg === '--header') {
      const value = argv[++i] ?? '';
      const colon = value.indexOf(':');
      if (colon <= 0) throw new UsageError(`--header needs 'Name: value', got ${JSON.stringify(value)}`);
      headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
    } else if (arg === '--timeout') {
      const ms = Number(argv[++i]);
      if (!Number.isInteger(ms) || ms < 100) throw new UsageError('--timeout must be an integer of at least 100 (ms)');
      options.timeoutMs = ms;
    } else if (arg === '--no-cors') options.cors = false;
    else if (arg === '--no-socket') options.socket = false;
    else if (arg === '--json') options.json = true;
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else if (baseUrl === undefined) baseUrl = arg;
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  if (baseUrl === undefined || !/^https?:\/\//.test(baseUrl))
    throw new UsageError('a base URL (http:// or https://) is required');
  return { ...options, baseUrl, headers };
}

/** Run the checker from the command line; resolves with the exit code. */
export async function main(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv);
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const report = await checkServer(options);
  out(`${options.json ? JSON.stringify(report, null, 2) : formatReport(report)}\n`);
  return report.failed === 0 ? 0 : 1;
}
