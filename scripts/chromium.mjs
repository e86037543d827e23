// Chromium for every headless run of the project (tests, chaos, Storybook smoke, examples,
// benchmarks): the Debian package's binary (installed by apt; nothing is downloaded) and the flags
// it runs with on this machine kind (no sandbox as root in containers, nothing that phones home).

/** Where Chromium lives (`apt-get install -y chromium`; `CHROMIUM_PATH` overrides it). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless Chromium: no sandbox, no GPU, no background traffic, no QUIC. */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
]);
