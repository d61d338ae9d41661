import { resolve } from 'node:path';
import { maxTimerMs } from '@aicredits/core';
import type { AccountConfig, AccountsConfig, ProviderId } from '../account-config.js';
import { providerAdapters, providerIds } from '../providers.js';
import { ConfigError } from './config-error.js';
import { ConfigFileError, readConfigFile } from './read-config-file.js';

export const defaultConfigFile = 'aicredits.config.json';

// `watch` belongs to @aicredits/monitor (`aicredits watch`), which reads it from `document`.
const topLevelFields = [
  '$schema',
  'accounts',
  'concurrency',
  'accountTimeout',
  'min',
  'timeout',
  'maxRetries',
  'validateResponses',
  'watch',
];
const commonFields = ['provider', 'label', 'apiKeyEnv', 'baseURL', 'headers', 'min', 'allowInsecureHttp', 'watch'];
const providerFields: Record<ProviderId, string[]> = {
  crowdcomputed: [],
  imaginepro: [],
  iqqz: ['unit'],
  pixverse: ['email', 'allAccounts'],
};

type Environment = Record<string, string | undefined>;

/**
 * The accounts to check: from `--config`, else `./aicredits.config.json`, else one account per
 * provider whose API key environment variable is set.
 */
export async function loadConfig(options: {
  configPath: string | undefined;
  cwd: string;
  environment: Environment;
}): Promise<{ config: AccountsConfig; source: string; document: unknown }> {
  const path = resolve(options.cwd, options.configPath ?? defaultConfigFile);
  let text: string;
  try {
    text = await readConfigFile(path);
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    if (options.configPath !== undefined || error.code !== 'ENOENT') {
      throw new ConfigError(`cannot read the config file ${path}: ${error.message}`);
    }
    return { config: configFromEnvironment(options.environment), source: 'environment variables', document: undefined };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON (${describeJsonError(error as Error, text)})`);
  }
  return { config: parseConfig(json, options.environment, path), source: path, document: json };
}

function configFromEnvironment(environment: Environment): AccountsConfig {
  const accounts = providerIds
    .filter((provider) => nonEmpty(environment[providerAdapters[provider].apiKeyEnvironmentVariable]))
    // The key comes from `environment` (the CLI context), not whatever `process.env` holds.
    .map(
      (provider) =>
        ({ provider, apiKey: environment[providerAdapters[provider].apiKeyEnvironmentVariable] }) as AccountConfig,
    );
  if (accounts.length === 0) {
    const names = providerIds.map((provider) => providerAdapters[provider].apiKeyEnvironmentVariable).join(', ');
    throw new ConfigError(
      `no accounts configured: create ${defaultConfigFile} (see the README) or set at least one of ${names}`,
    );
  }
  return { accounts };
}

/** Checks a parsed config file field by field; secrets must come from environment variables. */
export function parseConfig(json: unknown, environment: Environment, file = defaultConfigFile): AccountsConfig {
  const fail = (path: string, message: string): never => {
    throw new ConfigError(`${file}: ${path}: ${message}`);
  };
  if (!isRecord(json)) return fail('(root)', `expected an object, got ${describe(json)}`);
  rejectUnknown(json, topLevelFields, '', fail);
  const accounts = json['accounts'];
  if (!Array.isArray(accounts) || accounts.length === 0) {
    return fail('accounts', `expected a non-empty array of accounts, got ${describe(accounts)}`);
  }
  return {
    accounts: accounts.map((account, index) => parseAccount(account, `accounts[${index}]`, environment, fail)),
    concurrency: optionalNumber(json, 'concurrency', '', fail, { integer: true, minimum: 1 }),
    accountTimeout: optionalNumber(json, 'accountTimeout', '', fail, {
      integer: true,
      minimum: 1,
      maximum: maxTimerMs,
    }),
    min: optionalNumber(json, 'min', '', fail, { minimum: 0 }),
    settings: clientSettings(json, fail),
  };
}

type Fail = (path: string, message: string) => never;

function parseAccount(value: unknown, path: string, environment: Environment, fail: Fail): AccountConfig {
  if (!isRecord(value)) return fail(path, `expected an object, got ${describe(value)}`);
  const provider = value['provider'];
  if (typeof provider !== 'string' || !providerIds.includes(provider as ProviderId)) {
    return fail(`${path}.provider`, `expected one of ${providerIds.join(', ')}, got ${describe(provider)}`);
  }
  if ('apiKey' in value) {
    fail(
      `${path}.apiKey`,
      'API keys do not belong in the config file; put the key in an environment variable and name it in "apiKeyEnv"',
    );
  }
  rejectUnknown(value, [...commonFields, ...providerFields[provider as ProviderId]], `${path}.`, fail);
  const apiKeyEnv = optionalString(value, 'apiKeyEnv', path, fail);
  // Without `apiKeyEnv`, the provider's own variable, read from the given environment (which is
  // `process.env` on the command line, but need not be when `main` is embedded).
  const apiKey = environment[apiKeyEnv ?? providerAdapters[provider as ProviderId].apiKeyEnvironmentVariable];
  if (apiKeyEnv !== undefined && !nonEmpty(apiKey)) {
    fail(`${path}.apiKeyEnv`, `the environment variable ${apiKeyEnv} is not set or empty`);
  }
  const headers = value['headers'];
  if (
    headers !== undefined &&
    (!isRecord(headers) || Object.values(headers).some((header) => typeof header !== 'string'))
  ) {
    fail(`${path}.headers`, `expected an object of string values, got ${describe(headers)}`);
  }
  const allAccounts = optionalBoolean(value, 'allAccounts', path, fail);
  const allowInsecureHttp = optionalBoolean(value, 'allowInsecureHttp', path, fail);
  const account = {
    provider,
    label: optionalString(value, 'label', path, fail),
    apiKey,
    baseURL: optionalString(value, 'baseURL', path, fail),
    headers: headers as Record<string, string> | undefined,
    min: optionalNumber(value, 'min', `${path}.`, fail, { minimum: 0 }),
    email: optionalString(value, 'email', path, fail),
    allAccounts,
    allowInsecureHttp,
    unit: optionalString(value, 'unit', path, fail),
  };
  return withoutUndefined(account) as unknown as AccountConfig;
}

function clientSettings(json: Record<string, unknown>, fail: Fail): AccountsConfig['settings'] {
  const settings = withoutUndefined({
    timeout: optionalNumber(json, 'timeout', '', fail, { integer: true, minimum: 1, maximum: maxTimerMs }),
    maxRetries: optionalNumber(json, 'maxRetries', '', fail, { integer: true, minimum: 0 }),
    validateResponses: optionalBoolean(json, 'validateResponses', '', fail),
  });
  return Object.keys(settings).length === 0 ? undefined : settings;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

function optionalBoolean(value: Record<string, unknown>, key: string, path: string, fail: Fail): boolean | undefined {
  const field = value[key];
  if (field !== undefined && typeof field !== 'boolean')
    fail(path === '' ? key : `${path}.${key}`, `expected true or false, got ${describe(field)}`);
  return field as boolean | undefined;
}

/**
 * The kind of fault and, where the parser tells, its line and column; never the text around it,
 * which the parser quotes and which could be a pasted API key.
 */
function describeJsonError(error: Error, text: string): string {
  const kind =
    /^(Unexpected (?:token|end of JSON input|non-whitespace character)|Bad control character|Expected [a-z ]+)/.exec(
      error.message,
    )?.[1] ?? 'syntax error';
  const position = /position (\d+)/.exec(error.message)?.[1];
  return position === undefined ? kind : `${kind} at ${lineAndColumn(text, Number(position))}`;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

function rejectUnknown(value: Record<string, unknown>, known: string[], prefix: string, fail: Fail): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) fail(`${prefix}${key}`, `unknown field; expected one of ${known.join(', ')}`);
  }
}

function optionalString(value: Record<string, unknown>, key: string, path: string, fail: Fail): string | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  if (typeof field !== 'string' || field === '')
    return fail(`${path}.${key}`, `expected a non-empty string, got ${describe(field)}`);
  return field;
}

function optionalNumber(
  value: Record<string, unknown>,
  key: string,
  prefix: string,
  fail: Fail,
  rules: { integer?: boolean; minimum: number; maximum?: number },
): number | undefined {
  const field = value[key];
  if (field === undefined) return undefined;
  const maximum = rules.maximum ?? Number.MAX_SAFE_INTEGER;
  const ok =
    typeof field === 'number' &&
    Number.isFinite(field) &&
    field >= rules.minimum &&
    field <= maximum &&
    (!rules.integer || Number.isInteger(field));
  if (!ok) {
    const range = rules.maximum === undefined ? `of at least ${rules.minimum}` : `from ${rules.minimum} to ${maximum}`;
    return fail(
      `${prefix}${key}`,
      `expected ${rules.integer ? 'a whole number' : 'a number'} ${range}, got ${describe(field)}`,
    );
  }
  return field as number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
