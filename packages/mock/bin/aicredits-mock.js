#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { adminPrefix, MockOptionsError, mockProviderIds, startMockServers } from '../dist/index.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

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
  --scenario [<id>=]<name> Start in a named state, e.g. pixverse=low-credits; a comma-separated
                           list is a sequence (iqqz=rate-limited,unavailable,default). Without
                           <id>= it applies to every provider. Repeat for several providers.
  --delay [<id>=]<ms>      Wait before every answer: 200, or 100-900 for a random wait.
  --drain <id>=<n>[/<t>]   Credits run down by <n> per balance request, or every <t> (500ms,
                           30s, 5m, 1h). POST ${adminPrefix}/reset refills them.
  --dates <mode>           current (default: example dates moved near today) or as-written.
  --journal-size <n>       Requests kept per provider for GET ${adminPrefix}/journal (default 100).
  --json                   Print the URLs as one JSON object instead.
  --verbose                Log Prism's request handling to stderr, credentials redacted.
  -h, --help               Show this help.
  --version                Print the version.

Admin endpoints, on every provider's URL (no provider path starts with ${adminPrefix}):
  GET ${adminPrefix}/health     {"status":"ok",...} once the server answers
  GET|PUT|DELETE ${adminPrefix}/scenario
                           Show, set (body: a name or sequence, or JSON steps), or clear the scenario
  POST ${adminPrefix}/reset     Restart the sequence, refill draining credits
  GET|DELETE ${adminPrefix}/journal
                           The latest requests (credentials redacted), or clear them
`;

/** Exit code for a command line that cannot be understood, as most CLIs use. */
const usageErrorExitCode = 2;

function failUsage(message) {
  process.stderr.write(`aicredits-mock: ${message}\nRun aicredits-mock --help for the options.\n`);
  process.exit(usageErrorExitCode);
}

function parsePort(text, optionName) {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    failUsage(`${optionName} must be a port number from 0 to 65535, got "${text}"`);
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
        scenario: { type: 'string', multiple: true },
        delay: { type: 'string', multiple: true },
        drain: { type: 'string', multiple: true },
        dates: { type: 'string' },
        'journal-size': { type: 'string' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
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

  const started = providers ?? mockProviderIds;
  const scenarios = perProvider(values.scenario, '--scenario', started, (text) => text);
  const delays = perProvider(values.delay, '--delay', started, parseDelay);
  const drain = perProvider(values.drain, '--drain', started, parseDrain, { requireProvider: true });
  if (values.dates !== undefined && !['current', 'as-written'].includes(values.dates)) {
    failUsage(`--dates must be current or as-written, got "${values.dates}"`);
  }
  let journalSize;
  if (values['journal-size'] !== undefined) {
    journalSize = Number(values['journal-size']);
    if (!/^\d+$/.test(values['journal-size']) || journalSize > 100_000)
      failUsage('--journal-size must be a whole number up to 100000');
  }

  return {
    help: values.help ?? false,
    version: values.version ?? false,
    json: values.json ?? false,
    options: {
      providers,
      ports,
      host: values.host,
      dynamic: values.dynamic ?? false,
      seed: values.seed,
      specsDirectory: values['specs-directory'],
      logger: values.verbose ? stderrLogger : undefined,
      scenarios,
      delays,
      drain,
      // A QA run or a demo should never show a plan that expired years ago because the docs did.
      dates: values.dates ?? 'current',
      journalSize,
    },
  };
}

/** `[<id>=]<value>` options: with an id for that provider, without one for every started provider. */
function perProvider(texts, optionName, started, parse, { requireProvider = false } = {}) {
  const result = {};
  for (const text of texts ?? []) {
    const match = /^([a-z][a-z0-9-]*)=(.*)$/s.exec(text);
    if (match !== null && mockProviderIds.includes(match[1])) {
      if (!started.includes(match[1])) failUsage(`${optionName}: ${match[1]} is not among the started providers`);
      result[match[1]] = parse(match[2], `${optionName} ${text}`);
    } else if (match !== null) {
      failUsage(`${optionName}: unknown provider "${match[1]}"; expected one of ${mockProviderIds.join(', ')}`);
    } else if (requireProvider) {
      failUsage(`${optionName} needs <provider>=<value>, got "${text}"`);
    } else {
      for (const id of started) result[id] = parse(text, `${optionName} ${text}`);
    }
  }
  return result;
}

function parseDelay(text, where) {
  const match = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (match === null) failUsage(`${where}: expected milliseconds (200) or a range (100-900)`);
  return match[2] === undefined ? Number(match[1]) : { min: Number(match[1]), max: Number(match[2]) };
}

const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function parseDrain(text, where) {
  const match = /^(\d+(?:\.\d+)?)(?:\/(\d+)(ms|s|m|h))?$/.exec(text);
  if (match === null) failUsage(`${where}: expected <amount> or <amount>/<interval>, e.g. 10 or 10/30s`);
  const amount = Number(match[1]);
  return match[2] === undefined ? { amount } : { amount, everyMs: Number(match[2]) * units[match[3]] };
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
  if (commandLine.version) {
    process.stdout.write(`${version}\n`);
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
    // An option that only the specs can refute (an unknown scenario name) is still a usage error.
    if (error instanceof MockOptionsError) failUsage(error.message);
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
