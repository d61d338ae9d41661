// Every published package says `"sideEffects": false`, which lets bundlers drop any module whose
// exports go unused. These tests bundle small applications the way a user's build would (minified,
// tree-shaken) and run them against the mock servers: if some module relied on being imported
// for its side effects, the bundled app would break here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { type MockServers, startMockServers } from '@aicredits/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bundle } from './bundle.js';
import { cliConfig, expectSeedBalances, expectSeedResponses, fakeKeys, parseJsonOutput } from './expectations.js';
import { childEnvironment, describeRun, killRunningChildren, packagesDirectory, readJson, run } from './workspace.js';

const clientsApp = `
import { createCrowdComputed } from '@aicredits/crowdcomputed';
import { createPixVerse } from '@aicredits/pixverse';
import { createImaginePro } from '@aicredits/imaginepro';
import { createIqqz } from '@aicredits/iqqz';
import { createAccounts } from 'aicredits';
const urls = JSON.parse(process.env.MOCK_URLS);
const iqqz = createIqqz({ apiKey: 'x', baseURL: urls.iqqz });
const output = {
  crowdcomputed: await createCrowdComputed({ apiKey: 'x', baseURL: urls.crowdcomputed }).getMemberInfo(),
  pixverse: await createPixVerse({ apiKey: 'x', baseURL: urls.pixverse }).getFeatures(),
  imaginepro: await createImaginePro({ apiKey: 'x', baseURL: urls.imaginepro }).getAccountInfo(),
  iqqzSubscription: await iqqz.getSubscription(),
  iqqzUsage: await iqqz.getUsage(),
  balances: await createAccounts({
    accounts: ['crowdcomputed', 'pixverse', 'imaginepro', 'iqqz'].map((provider) => ({ provider, apiKey: 'x', baseURL: urls[provider] })),
  }).balances(),
};
console.log(JSON.stringify(output));
`;

const cliApp = `
import { main } from 'aicredits/cli';
process.exitCode = await main({
  argv: process.argv.slice(2),
  environment: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
});
`;

let servers: MockServers | undefined;
let directory: string;

beforeAll(async () => {
  directory = mkdtempSync(path.join(tmpdir(), 'aicredits-bundled-'));
  servers = await startMockServers();
});

afterAll(async () => {
  killRunningChildren();
  await servers?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('bundled with sideEffects: false', () => {
  it('the clients and createAccounts work from a minified browser-platform bundle', async () => {
    const { code } = await bundle(clientsApp, 'browser');
    const file = path.join(directory, 'clients-app.mjs');
    writeFileSync(file, code);
    const result = await run(process.execPath, [file], {
      cwd: directory,
      env: childEnvironment({ MOCK_URLS: JSON.stringify(servers!.urls) }),
      timeout: 120_000,
    });
    expect(result.code, describeRun('bundled clients app', result)).toBe(0);
    const output = parseJsonOutput<Record<string, unknown> & { balances: unknown[] }>(result.stdout, result.stderr);
    expectSeedResponses(output as never);
    expectSeedBalances(output.balances);
  });

  it('the CLI (aicredits/cli) works from a minified node-platform bundle', async () => {
    const { code } = await bundle(cliApp, 'node');
    const file = path.join(directory, 'cli-app.mjs');
    writeFileSync(file, code);
    const configFile = path.join(directory, 'aicredits.config.json');
    writeFileSync(configFile, cliConfig(servers!.urls));
    const environment = childEnvironment({ ...fakeKeys });

    const version = await run(process.execPath, [file, '--version'], {
      cwd: directory,
      env: environment,
      timeout: 120_000,
    });
    expect(version.code, describeRun('bundled CLI --version', version)).toBe(0);
    expect(version.stdout.trim()).toContain(
      readJson<{ version: string }>(path.join(packagesDirectory, 'aicredits/package.json')).version,
    );

    const balances = await run(process.execPath, [file, 'balances', '--config', configFile, '--json'], {
      cwd: directory,
      env: environment,
      timeout: 120_000,
    });
    const document = parseJsonOutput<{ ok: boolean; results: unknown[] }>(balances.stdout, balances.stderr);
    expectSeedBalances(document.results);
    // 0 when nothing needs attention, 1 when something does (some seed plans have expired).
    expect(balances.code, describeRun('bundled CLI balances', balances)).toBe(document.ok ? 0 : 1);
  });
});
