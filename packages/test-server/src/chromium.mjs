// Debian's Chromium as the tests and the dashboard benchmark start it. Plain JavaScript, so that
// the benchmark scripts (plain Node, no TypeScript loader) share it with the tests.

/** Debian's chromium package; CHROMIUM_PATH points elsewhere (e.g. a Chrome on a developer's Mac). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless, as root (no sandbox), and quiet on a closed network: without the background-networking
 * flags Chromium opens connections to Google's hosts at every start, which this machine refuses,
 * many at a time.
 */
export const chromiumArguments = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);
