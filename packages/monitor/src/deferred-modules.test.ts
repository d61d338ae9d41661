import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import { startSmtpServer } from './testing/smtp-server.js';
import { useTemporaryDirectory } from './testing/temporary-directory.js';

const builtEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const directories = useTemporaryDirectory();

// Its own process, so that the module cache it inspects holds nothing another test loaded: a
// watch on a local file with an email notifier, one round, then one email sent.
const child = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const [entry, storeUrl, smtpUrl] = process.argv.slice(1);
// Every module loaded through the ES module loader (nodemailer is ESM, the libSQL client's server
// protocols too), as a loader hook on its own thread reports it.
const hooks = 'let port; export function initialize(data) { port = data.port; } ' +
  'export async function load(url, context, next) { port.postMessage(url); return next(url, context); }';
const { port1, port2 } = new MessageChannel();
const urls = [];
const waiting = new Map();
port1.on('message', (url) => { urls.push(url); waiting.get(url)?.(); });
port1.unref();
register('data:text/javascript,' + encodeURIComponent(hooks), { data: { port: port2 }, transferList: [port2] });
let marks = 0;
// The hook's messages arrive in order: once a marker module's has, every earlier load's has too.
const loaded = async (name) => {
  const marker = 'data:text/javascript,export default ' + marks++;
  const arrived = new Promise((resolve) => waiting.set(marker, resolve));
  await import(marker);
  await arrived;
  return urls.some((url) => url.includes('/node_modules/' + name + '/'));
};
const { createManualClock, createNotifier, createStore, createWatcher, parseWatchConfig } = await import(entry);
const watch = parseWatchConfig({ watch: { store: storeUrl } }, { file: 'test.json', cwd: '/', environment: {}, accountCount: 1 });
const store = await createStore({ url: watch.storeUrl });
const email = createNotifier({ type: 'email', name: 'email', smtpUrl, from: 'aicredits@example.com', to: ['ops@example.com'] });
const balance = { remaining: 5, limit: 100, unit: 'credits', unlimited: false, plan: 'Pro', status: 'active', parts: [] };
const watcher = createWatcher({
  accounts: { accounts: [{ provider: 'imaginepro', label: 'main', apiKey: 'key-that-is-long-enough', min: 10 }] },
  watch,
  store,
  clock: createManualClock(),
  notifiers: [],
  createAccounts: () => ({ balances: async () => [{ ok: true, provider: 'imaginepro', account: 'main', min: 10, balance }] }),
});
const readings = await watcher.runOnce();
await watcher.stop();
const afterRound = {
  serverProtocols: await loaded('@libsql/hrana-client'),
  nodemailer: await loaded('nodemailer'),
  readings: readings.length,
  stored: await store.count(),
};
await store.close();
await email.send({ title: 'aicredits: imaginepro/main is low', lines: ['5 credits left'], events: [] }, AbortSignal.timeout(10_000));
email.close();
process.stdout.write(JSON.stringify({ afterRound, afterEmail: { nodemailer: await loaded('nodemailer') } }));
`;

describe('modules loaded on first use', () => {
  it("a watch on a local file loads neither libSQL's server protocols nor nodemailer until an email is sent", async () => {
    if (!existsSync(builtEntry)) throw new Error(`${builtEntry} is missing: run \`npx tsup\` before the tests`);
    const { fileUrl } = await directories.create();
    const smtp = await startSmtpServer();
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '-e', child, pathToFileURL(builtEntry).href, fileUrl('history.db'), smtp.url],
        { timeout: 60_000 },
      );
      expect(JSON.parse(stdout)).toEqual({
        afterRound: { serverProtocols: false, nodemailer: false, readings: 1, stored: 1 },
        afterEmail: { nodemailer: true },
      });
      expect(smtp.messages.map((message) => message.subject)).toEqual(['aicredits: imaginepro/main is low']);
    } finally {
      await smtp.close();
    }
  });
});
