#!/usr/bin/env node
// agentwire-check-server <base-url> [options]: check a backend against the agentwire contract (docs/PROTOCOL.md).
import { main } from '../dist/check.js';

process.exitCode = await main(
  process.argv.slice(2),
  (text) => process.stdout.write(text),
  (text) => process.stderr.write(text),
);
