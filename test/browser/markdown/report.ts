/** Print figures from a browser test on the test runner's stdout (shown with LEAK_REPORT=1, as the reliability figures are). */
import { executeServerCommand } from '@web/test-runner-commands';

/** Send `lines` to the runner's report channel. */
export async function report(lines: string[]): Promise<void> {
  await executeServerCommand<boolean, { lines: string[] }>('reliability-report', { lines });
}
