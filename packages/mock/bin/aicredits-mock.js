#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { mockProviderIds, startMockServers } from '../dist/index.js';

const usage = `Usage: aicredits-mock [options]

Starts a Prism mock server for each aicredits provider spec, prints each provider's base URL
("<provider> <url>", one per line) and runs until SIGINT or SIGTERM.

Options:
  --provider <id>          Mock only this provider; repeat for several (default: all).
                           One of: ${mockProviderIds.join(', ')}
  --port <n>               Base port: each provider listens on <n> + its position in the
                           list above (${mockProviderIds.map((id, index) => `${id} +${index}`).join(', ')}),
                           whether or not the others are started. Default 0: free ports.
  --port-<id> <n>          Port of one provider (overrides --port), e.g. --port-pixverse 4011.
  --host <host>            Interface to listen on (default 127.0.0.1).
  --dynamic                Random, schema-valid responses instead of the spec examples.
  --seed <seed>            Makes dynamic responses repeatable.
  --specs-directory <dir>  Directory with <provider>.yaml (default: the specs in this package).
  --json                   Print the URLs as one JSON object instead.
  --verbose                Log Prism's request handling to stderr.
  --help                   Show this help.
`;

/** Exit code for a command line that cannot be understood, as most CLIs use. */
const usageErrorExitCode = 2;

function failUsage(message) {
  process.stderr.write(`aicredits-mock: ${message}\nRun aicredits-mock --help for the options.\n`);
  process.exit(usageErrorExitCode);
}

function parsePort(text, optionName) {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) failUsage(`${optionName} must be a port number from 0 to 65535, got "${text}"`);
  return port;
}

function parseCommandLine(argv) {
  const portOptions = Object.fromEntries(mockProviderIds.map((id) => [`port-${id}`, { type: 'string' }]));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        provider: { type: 'string', multiple: true },
        port: { type: 'string' },
        ...portOptions,
        host: { type: 'string' },
        dynamic: { type: 'boolean' },
        seed: { type: 'string' },
        'specs-directory': { type: 'string' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    failUsage(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;

  // Comma-separated lists are accepted too, because that is what people type into npm scripts.
  const providers = values.provider?.flatMap((value) => value.split(',')).map((value) => value.trim());
  for (const provider of providers ?? []) {
    if (!mockProviderIds.includes(provider)) {
      failUsage(`unknown provider "${provider}"; expected one of ${mockProviderIds.join(', ')}`);
    }
  }

  const basePort = values.port === undefined ? undefined : parsePort(values.port, '--port');
  const ports = {};
  mockProviderIds.forEach((id, index) => {
    if (providers !== undefined && !providers.includes(id)) return;
    const explicit = values[`port-${id}`];
    if (explicit !== undefined) {
      ports[id] = parsePort(explicit, `--port-${id}`);
    } else if (basePort !== undefined && basePort !== 0) {
      ports[id] = parsePort(String(basePort + index), `--port (${id} = ${basePort} + ${index})`);
    }
  });

  if (values.seed === '') failUsage('--seed must not be empty');

  return {
    help: values.help ?? false,
    json: values.json ?? false,
    options: {
      providers,
      ports,
      host: values.host,
      dynamic: values.dynamic ?? false,
      seed: values.seed,
      specsDirectory: values['specs-directory'],
      logger: values.verbose ? stderrLogger : undefined,
    },
  };
}

// stdout carries only the URLs so that scripts (and --json consumers) can parse it.
const stderrLogger = {
  debug: (message) => console.error(message),
  info: (message) => console.error(message),
  warn: (message) => console.error(message),
  error: (message) => console.error(message),
};

async function main() {
  const commandLine = parseCommandLine(process.argv.slice(2));
  if (commandLine.help) {
    process.stdout.write(usage);
    return;
  }

  const starting = startMockServers(commandLine.options);
  // Registered before the servers are up so a signal during start-up still closes them.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    starting
      .then((servers) => servers.close())
      .then(
        () => process.exit(0),
        (error) => {
          process.stderr.write(`aicredits-mock: ${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  let servers;
  try {
    servers = await starting;
  } catch (error) {
    process.stderr.write(`aicredits-mock: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  if (commandLine.json) {
    process.stdout.write(`${JSON.stringify(servers.urls)}\n`);
  } else {
    for (const [provider, url] of Object.entries(servers.urls)) {
      process.stdout.write(`${provider} ${url}\n`);
    }
  }
}

await main();
