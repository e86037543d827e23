/**
 * The packed-package test's plumbing: run commands, pack the package, install the tarball into a
 * temporary project, and serve built pages over loopback.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** The repository root. */
export const REPO = resolve(import.meta.dirname, '../..');

/** What a finished command printed, and how it ended. */
export interface CommandResult {
  code: number;
  output: string;
  ms: number;
}

/** Run a command to completion (no shell), capturing stdout and stderr together. */
export function run(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', fail);
    child.once('close', (code) => done({ code: code ?? 1, output, ms: Date.now() - started }));
  });
}

/** Run a command and throw with its output when it fails. */
export async function runOk(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CommandResult> {
  const result = await run(cmd, args, cwd, env);
  if (result.code !== 0)
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${result.code}:\n${result.output}`);
  return result;
}

/** `npm`, without the noise of the machine's global npmrc. */
export const npm = (args: readonly string[], cwd: string): Promise<CommandResult> =>
  runOk('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd, { npm_config_update_notifier: 'false' });

/** The package.json fields the test reads. */
export interface PackageJson {
  name: string;
  version: string;
  exports: Record<string, string | { types: string; default: string }>;
  sideEffects: string[];
  files: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
}

/** Read a package.json. */
export const readPackage = (dir: string): PackageJson =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;

/** `npm pack` into `dest` (without running its scripts: the caller built first); returns the tarball's path and its file list. */
export async function pack(dest: string): Promise<{ tarball: string; files: string[] }> {
  const { output } = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dest], REPO);
  const [info] = JSON.parse(output.slice(output.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  if (!info) throw new Error(`npm pack printed no result:\n${output}`);
  return { tarball: join(dest, info.filename), files: info.files.map((f) => f.path) };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/** A static file server for `root` on a free loopback port (no directory listings, nothing outside root). */
export async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}
