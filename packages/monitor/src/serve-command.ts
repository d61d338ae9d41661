import packageJson from '../package.json' with { type: 'json' };
import { docsURL, type MonitorCommand, openWatch, secretsOf, usage, waitForStop } from './cli-commands.js';
import { createServe, type Serve } from './create-serve.js';
import { createNotifier } from './notifiers.js';
import { plainText } from './safe-text.js';

export const defaultServePort = 9471;
export const defaultTokenVariable = 'AICREDITS_SERVE_TOKEN';

const serveHelp = `Usage: aicredits serve [options]

Runs 'aicredits watch' (same schedule, history and notifications) and serves, over HTTP:
  /              the dashboard: every account, its parts against their limits, alerts, history
  /metrics       Prometheus metrics (scrape config and alert rules: the @aicredits/monitor README)
  /api/balances  the 'balances --json' document with forecasts and alerts
  /api/history   ?account=<label>[&provider=<id>][&since=7d]: one account's stored readings
  /healthz       liveness;  /readyz: 200 once every account has a reading (checked now, or the
                 newest in the history after a restart) that these paths serve, and the history
                 is writable
Nothing served triggers a request to a provider: it all comes from the latest checks.

Options:
  --config <file>     Config file (default: found as for 'aicredits balances')
  --host <address>    Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --port <n>          Port (default ${defaultServePort}; 0 picks a free one)
  --token-env <name>  Environment variable holding a bearer token that every path but /healthz
                      then requires (default ${defaultTokenVariable}; unset or empty: no token)
  --account <label>   Only these account labels (repeatable or a comma list)
  -h, --help          This help

Exit codes: 0 after a clean stop (Ctrl-C, SIGTERM); 2 bad command line, config, history database,
            or an address that cannot be listened on.

Examples:
  $ aicredits serve
      The dashboard and /metrics on http://127.0.0.1:${defaultServePort}
  $ AICREDITS_SERVE_TOKEN=... aicredits serve --host 0.0.0.0 --port 8080
      On every interface, every path but /healthz behind a bearer token

Learn more: ${docsURL}
`;

interface ServeCommandLine {
  config?: string;
  host?: string;
  port?: string;
  'token-env'?: string;
  account?: string[];
  help?: boolean;
}

const loopback = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export const serveCommand: MonitorCommand = {
  summary: 'watch, and serve Prometheus metrics, a JSON API and a dashboard',
  help: serveHelp,
  async run(argv, context, host) {
    let values: ServeCommandLine;
    try {
      values = host.parseOptions(argv, {
        config: { type: 'string', valueName: '<file>' },
        host: { type: 'string', valueName: '<address>' },
        port: { type: 'string', valueName: '<n>' },
        'token-env': { type: 'string', valueName: '<name>' },
        account: { type: 'string', multiple: true, valueName: '<label>' },
        help: { type: 'boolean', short: 'h' },
      }) as ServeCommandLine;
    } catch (error) {
      return usage(context, 'serve', (error as Error).message);
    }
    if (values.help) {
      context.stdout.write(serveHelp);
      return 0;
    }
    const port = values.port === undefined ? defaultServePort : Number(values.port);
    if (values.port !== undefined && (!/^\d{1,5}$/.test(values.port) || port > 65_535)) {
      return usage(
        context,
        'serve',
        `--port: expected a port number from 0 to 65535, got ${JSON.stringify(plainText(values.port, []))}`,
      );
    }
    const listenHost = values.host ?? '127.0.0.1';
    if (listenHost === '' || /[\s/]/.test(listenHost)) {
      return usage(context, 'serve', `--host: expected an address, got ${JSON.stringify(plainText(listenHost, []))}`);
    }
    const tokenVariable = values['token-env'] ?? defaultTokenVariable;
    const token = context.environment[tokenVariable]?.trim() || undefined;

    const opened = await openWatch('serve', values, context, host);
    if (typeof opened === 'number') return opened;
    const { config, watch, store } = opened;
    const secrets = [...secretsOf(config, watch), ...(token === undefined ? [] : [token])];
    let serve: Serve;
    try {
      serve = await createServe({
        accounts: config,
        watch,
        store,
        secrets,
        host: listenHost,
        port,
        token,
        version: packageJson.version,
        notifiers: watch.notify.map((notifier) => createNotifier(notifier)),
        onError: (error) => context.stderr.write(`aicredits serve: ${plainText(error.message, secrets, 2000)}\n`),
      });
    } catch (error) {
      await store.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES' || code === 'ENOTFOUND') {
        return usage(context, 'serve', `cannot listen on ${plainText(listenHost, [])}:${port} (${code})`);
      }
      throw error;
    }
    try {
      const { url } = serve.server;
      context.stdout.write(`Dashboard: ${url}\nMetrics:   ${url}metrics\n`);
      context.stderr.write(
        `aicredits serve: watching ${config.accounts.length} account(s); history in ${store.location}; ` +
          `${token === undefined ? 'no token' : `bearer token from ${tokenVariable}`}; Ctrl-C stops\n`,
      );
      if (token === undefined && !loopback.test(listenHost)) {
        context.stderr.write(
          `aicredits serve: warning: listening on ${plainText(listenHost, [])} without a token: anyone who can reach it sees every balance (set ${tokenVariable})\n`,
        );
      }
      await waitForStop(context.signal);
      context.stderr.write('aicredits serve: stopping...\n');
      await serve.close();
      return 0;
    } finally {
      await store.close();
    }
  },
};
