/**
 * The public API report: for every entry point of package.json's `exports` map, API Extractor
 * lists its declared surface (from the built `dist/types`) into `api/<entry>.api.md`, a file that
 * is committed, so a change to the public surface shows in review.
 *
 *   npm run api          write the reports (after `npm run build`)
 *   npm run api:check    fail when a report differs from what is committed (CI)
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Extractor, ExtractorConfig, ExtractorLogLevel, ExtractorMessageCategory } from '@microsoft/api-extractor';
import pkg from '../package.json' with { type: 'json' };

const ROOT = resolve(import.meta.dirname, '..');
const REPORTS = join(ROOT, 'api');
const check = process.argv.includes('--check');

/** `./jsx/react` → `jsx-react`; `.` → `agentwire`. */
const reportName = (subpath: string): string =>
  subpath === '.' ? 'agentwire' : subpath.replace(/^\.\//, '').replaceAll('/', '-');

const entries = Object.entries(pkg.exports).flatMap(([subpath, target]) =>
  typeof target === 'object' && 'types' in target ? [{ subpath, types: join(ROOT, target.types) }] : [],
);

/** Entries whose declarations use Node's global types. */
const NODE_ENTRY = /^\.\/(server|check)(\/|$)/;

mkdirSync(REPORTS, { recursive: true });
let changed = 0;
let failed = 0;
const undocumented: string[] = [];
for (const { subpath, types } of entries) {
  const name = reportName(subpath);
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: ROOT,
      mainEntryPointFilePath: types,
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'ESNext',
            moduleResolution: 'bundler',
            lib: ['ES2023', 'DOM', 'DOM.Iterable'],
            // The server entries run on Node and name its types (Buffer, IncomingMessage).
            types: NODE_ENTRY.test(subpath) ? ['node'] : [],
            skipLibCheck: true,
            strict: true,
          },
          include: [types],
        },
      },
      apiReport: {
        enabled: true,
        reportFolder: REPORTS,
        reportTempFolder: join(ROOT, 'tmp', 'api'),
        reportFileName: name,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
        extractorMessageReporting: {
          default: { logLevel: ExtractorLogLevel.Warning },
          // The package has one audience: every export is public, so release tags are not used.
          'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None },
          // Checked below, for exports only (members such as `render` overrides need no doc of their own).
          'ae-undocumented': { logLevel: ExtractorLogLevel.None },
          // A type reachable only through an exported one is listed in the report, where review sees it.
          'ae-forgotten-export': { logLevel: ExtractorLogLevel.None, addToApiReportFile: true },
        },
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
      },
    },
    configObjectFullPath: join(ROOT, 'api', `${name}.api-extractor.json`),
    packageJsonFullPath: join(ROOT, 'package.json'),
  });
  const result = Extractor.invoke(config, {
    localBuild: !check,
    messageCallback: (message) => {
      // Every export has its one-line doc (STYLE.md); members (overrides such as `render`) need not.
      if (message.messageId === 'ae-undocumented') {
        if (message.sourceFileColumn === 1)
          undocumented.push(`${message.sourceFilePath}:${message.sourceFileLine} ${message.text}`);
        message.handled = true;
      }
      // "Analysis will use the bundled TypeScript version …" and other chatter.
      if (message.category === ExtractorMessageCategory.Console && message.logLevel !== ExtractorLogLevel.Warning)
        message.handled = true;
    },
  });
  if (result.apiReportChanged) changed++;
  if (!result.succeeded) failed++;
  console.log(
    `${subpath.padEnd(24)} ${result.succeeded ? 'ok' : 'FAILED'}${result.apiReportChanged ? ' (report changed)' : ''}`,
  );
}

if (undocumented.length > 0) {
  console.error(`\n${undocumented.length} export(s) without a doc comment:\n${undocumented.join('\n')}`);
  process.exit(1);
}
if (check && changed > 0) {
  console.error(
    `\n${changed} API report(s) differ from api/: the public surface changed. Run \`npm run api\` and commit api/ if that is intended.`,
  );
  process.exit(1);
}
if (failed > 0) {
  console.error(`\n${failed} entry point(s) could not be analysed.`);
  process.exit(1);
}
console.log(`\n${entries.length} API reports ${check ? 'match' : 'written to'} api/.`);
