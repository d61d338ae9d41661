// The clients in a real browser: the runtime smoke script (fixtures/runtimes/smoke.mjs: every
// client method, an error, an abort, createAccounts().balances()) is bundled with esbuild for
// `platform: 'browser'`, served from a local page, and run in headless Chromium driven by
// playwright-core. The page calls the mock servers on other ports, so every request is
// cross-origin and goes through CORS (with preflights for the custom headers).
//
// Chromium is Debian's `chromium` package, which `.ci/run` installs; playwright-core never
// downloads a browser. Without Chromium this file fails (it never skips).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type MockServers, startMockServers } from '@aicredits/mock';
import { chromiumArguments, chromiumPath } from '@aicredits/test-server/chromium';
import { build } from 'esbuild';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expectRuntimeSmokeOutput, type RuntimeSmokeOutput } from './expectations.js';
import { fixturesDirectory } from './workspace.js';

let bundle: { code: string; inputs: string[] } | undefined;
let servers: MockServers | undefined;
let pageServer: Server | undefined;
let pageOrigin: string | undefined;
let profileDirectory: string | undefined;
let context: BrowserContext | undefined;
let page: Page | undefined;
const pageProblems: string[] = [];
const consoleErrors: string[] = [];

async function bundleForBrowser(): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    entryPoints: [path.join(fixturesDirectory, 'runtimes/browser-main.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, inputs: Object.keys(result.metafile.inputs) };
}

/** Serves the page and the bundle on 127.0.0.1, port 0. */
async function servePage(code: string): Promise<Server> {
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><title>aicredits runtime smoke</title>' +
    '<script type="module" src="/smoke.js"></script></head><body></body></html>';
  const server = createServer((request, response) => {
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(html);
    } else if (request.url === '/smoke.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      response.end(code);
    } else {
      response.writeHead(request.url === '/favicon.ico' ? 204 : 404);
      response.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return server;
}

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}. The browser test needs it: run \`bash .ci/run\` (it installs Debian's ` +
        'chromium package when it is missing), or install it yourself (`sudo apt-get install --no-install-recommends ' +
        'chromium` on Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome executable.',
    );
  }
  bundle = await bundleForBrowser();
  servers = await startMockServers();
  pageServer = await servePage(bundle.code);
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  // A fresh profile per run (launchPersistentContext's user data directory = --user-data-dir).
  profileDirectory = mkdtempSync(path.join(tmpdir(), 'aicredits-chromium-profile-'));
  context = await chromium.launchPersistentContext(profileDirectory, {
    executablePath: chromiumPath,
    headless: true,
    args: [...chromiumArguments],
    timeout: 180_000,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => pageProblems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
}, 240_000);

afterAll(async () => {
  const closing: Promise<unknown>[] = [];
  if (context !== undefined) closing.push(context.close());
  if (pageServer !== undefined) {
    pageServer.closeAllConnections();
    closing.push(new Promise((resolve) => pageServer!.close(resolve)));
  }
  if (servers !== undefined) closing.push(servers.close());
  await Promise.allSettled(closing);
  if (profileDirectory !== undefined) rmSync(profileDirectory, { recursive: true, force: true });
}, 240_000);

/** Loads the page with the bundle, fresh for each case: they pass alone or in any order. */
async function openPage(): Promise<void> {
  await page!.goto(`${pageOrigin}/`);
  await page!.waitForFunction(() => typeof (window as { runSmoke?: unknown }).runSmoke === 'function');
}

describe('headless Chromium, clients bundled by esbuild for platform browser', () => {
  it('bundles without any Node builtin', () => {
    // platform: 'browser' fails the build on a `node:` import; check the inputs anyway.
    expect(bundle!.inputs.filter((input) => /(^|\/)node:|^node-builtin/.test(input))).toEqual([]);
    for (const name of ['core', 'crowdcomputed', 'pixverse', 'imaginepro', 'iqqz', 'aicredits']) {
      // The built ESM of each package (paths are relative to this package's directory).
      expect(
        bundle!.inputs.some((input) => input.endsWith(`${name}/dist/index.js`)),
        name,
      ).toBe(true);
    }
  });

  it('runs every client and createAccounts().balances() in the page, cross-origin through CORS', async () => {
    await openPage();
    for (const url of Object.values(servers!.urls)) expect(new URL(url).origin).not.toBe(pageOrigin);

    const output = await page!.evaluate(
      (urls) => (window as unknown as { runSmoke(u: typeof urls): Promise<RuntimeSmokeOutput> }).runSmoke(urls),
      servers!.urls,
    );
    expectRuntimeSmokeOutput(output, 'browser');
    expect(pageProblems).toEqual([]);
    // The one console error is the browser logging the deliberate 401 (`Prefer: code=401`); a CORS
    // failure would show up here too.
    expect(consoleErrors.filter((text) => !/status of 401/.test(text))).toEqual([]);
  }, 240_000);

  it('gets createAccounts().balances() results with Date objects in the page', async () => {
    await openPage();
    const summary = await page!.evaluate(async (urls) => {
      const { createAccounts, providerIds } = (window as unknown as { aicredits: typeof import('aicredits') })
        .aicredits;
      const results = await createAccounts({
        accounts: providerIds.map((provider) => ({ provider, apiKey: 'browser-key', baseURL: urls[provider] })),
      }).balances();
      return results.map((result) =>
        result.ok
          ? {
              provider: result.provider,
              remaining: result.balance.remaining,
              fetchedAtIsDate: result.balance.fetchedAt instanceof Date,
            }
          : { provider: result.provider, error: result.error.name },
      );
    }, servers!.urls);
    expect(summary).toEqual([
      { provider: 'crowdcomputed', remaining: 0, fetchedAtIsDate: true },
      { provider: 'imaginepro', remaining: 2600, fetchedAtIsDate: true },
      { provider: 'iqqz', remaining: 2.5, fetchedAtIsDate: true },
      { provider: 'pixverse', remaining: 5650, fetchedAtIsDate: true },
    ]);
  }, 240_000);
});
