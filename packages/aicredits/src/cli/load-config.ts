import type { ProviderModule } from '@aicredits/core';

import type { AccountsConfig } from '../account-config.js';
import { providerRegistry } from '../provider-registry.js';
import { builtInProviders } from '../providers.js';
import type { AnyAccountConfig } from '../shared-settings.js';
import { configCandidates, defaultConfigFile } from './config-discovery.js';
import { ConfigError } from './config-error.js';
import { accountFieldsOf, commonAccountFields, type FieldRule, topLevelFields } from './config-fields.js';
import { loadProviderModules } from './load-provider-modules.js';
import { ConfigFileError, readConfigFile } from './read-config-file.js';

export { defaultConfigFile } from './config-discovery.js';

type Environment = Record<string, string | undefined>;

/**
 * A config as the CLI loaded it. Typed like one of built-in providers only, so that commands (and
 * the monitor) take it as an `AccountsConfig`; accounts of the third-party modules it lists in
 * `providers` were checked by those modules' fields when it was loaded.
 */
export type LoadedConfig = AccountsConfig;

/**
 * The accounts to check: from the first config file found (`--config`, `AICREDITS_CONFIG`,
 * `./aicredits.config.json`, `$XDG_CONFIG_HOME/aicredits/config.json`), else one account per
 * provider whose API key environment variable is set.
 */
export async function loadConfig(options: {
  configPath: string | undefined;
  cwd: string;
  environment: Environment;
}): Promise<{ config: LoadedConfig; source: string; document: unknown }> {
  for (const { path, explicit } of configCandidates(options)) {
    let text: string;
    try {
      text = await readConfigFile(path);
    } catch (error) {
      if (!(error instanceof ConfigFileError)) throw error;
      if (explicit || error.code !== 'ENOENT') {
        throw new ConfigError(`cannot read the config file ${path}: ${error.message}`);
      }
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`${path} is not valid JSON (${describeJsonError(error as Error, text)})`);
    }
    const specifiers = isRecord(json) ? json['providers'] : undefined;
    const named =
      specifiers === undefined
        ? []
        : (checkField({ providers: specifiers }, 'providers', topLevelFields.providers, '', failIn(path)) as string[]);
    const providers = await loadProviderModules(named, path);
    return { config: parseConfig(json, options.environment, path, providers), source: path, document: json };
  }
  return { config: configFromEnvironment(options.environment), source: 'environment variables', document: undefined };
}

function configFromEnvironment(environment: Environment): LoadedConfig {
  const accounts = builtInProviders
    .filter(({ definition }) => nonEmpty(environment[definition.apiKeyEnvironmentVariable]))
    // The key comes from `environment` (the CLI context), not whatever `process.env` holds.
    .map(({ id, definition }) => ({ provider: id, apiKey: environment[definition.apiKeyEnvironmentVariable] }));
  if (accounts.length === 0) {
    const names = builtInProviders.map(({ definition }) => definition.apiKeyEnvironmentVariable).join(', ');
    throw new ConfigError(
      `no accounts configured: set at least one of ${names}, or write a config file (aicredits init) as ./${defaultConfigFile}, $XDG_CONFIG_HOME/aicredits/config.json (~/.config/aicredits/config.json) or the file AICREDITS_CONFIG names`,
    );
  }
  return { accounts };
}

function failIn(file: string): Fail {
  return (path, message) => {
    throw new ConfigError(`${file}: ${path}: ${message}`);
  };
}

/**
 * Checks a parsed config file field by field; secrets must come from environment variables.
 * `providers` are the third-party modules the accounts may use besides the built-in ones.
 */
export function parseConfig(
  json: unknown,
  environment: Environment,
  file = defaultConfigFile,
  providers: readonly ProviderModule[] = [],
): LoadedConfig {
  const fail = failIn(file);
  if (!isRecord(json)) return fail('(root)', `expected an object, got ${describe(json)}`);
  let registry: ReadonlyMap<string, ProviderModule>;
  try {
    registry = providerRegistry(providers);
  } catch (error) {
    return fail('providers', (error as Error).message);
  }
  rejectUnknown(json, ['accounts', ...Object.keys(topLevelFields)], '', fail);
  const accounts = json['accounts'];
  if (!Array.isArray(accounts) || accounts.length === 0) {
    return fail('accounts', `expected a non-empty array of accounts, got ${describe(accounts)}`);
  }
  const top = (name: keyof typeof topLevelFields) => checkField(json, name, topLevelFields[name], '', fail);
  return {
    accounts: accounts.map((account, index) =>
      parseAccount(account, `accounts[${index}]`, environment, registry, fail),
    ) as unknown as LoadedConfig['accounts'],
    ...(providers.length === 0 ? {} : { providers: providers as readonly never[] }),
    concurrency: top('concurrency') as number | undefined,
    accountTimeout: top('accountTimeout') as number | undefined,
    min: top('min') as number | undefined,
    settings: clientSettings(json, fail),
  };
}

type Fail = (path: string, message: string) => never;

function parseAccount(
  value: unknown,
  path: string,
  environment: Environment,
  registry: ReadonlyMap<string, ProviderModule>,
  fail: Fail,
): AnyAccountConfig {
  if (!isRecord(value)) return fail(path, `expected an object, got ${describe(value)}`);
  const provider = value['provider'];
  const module = typeof provider === 'string' ? registry.get(provider) : undefined;
  if (module === undefined) {
    return fail(`${path}.provider`, `expected one of ${[...registry.keys()].join(', ')}, got ${describe(provider)}`);
  }
  if ('apiKey' in value) {
    fail(
      `${path}.apiKey`,
      'API keys do not belong in the config file; put the key in an environment variable and name it in "apiKeyEnv"',
    );
  }
  const fields: Record<string, FieldRule> = {
    ...commonAccountFields,
    ...accountFieldsOf(module.accountFields),
  };
  rejectUnknown(value, ['provider', ...Object.keys(fields)], `${path}.`, fail);
  // Every field is checked by its rule before anything is read from it.
  const checked = Object.fromEntries(
    Object.entries(fields).map(([name, rule]) => [name, checkField(value, name, rule, `${path}.`, fail)]),
  );
  const apiKeyEnv = checked['apiKeyEnv'] as string | undefined;
  // Without `apiKeyEnv`, the provider's own variable, read from the given environment (which is
  // `process.env` on the command line, but need not be when `main` is embedded).
  const apiKey = environment[apiKeyEnv ?? module.definition.apiKeyEnvironmentVariable];
  if (apiKeyEnv !== undefined && !nonEmpty(apiKey)) {
    fail(`${path}.apiKeyEnv`, `the environment variable ${apiKeyEnv} is not set or empty`);
  }
  const { $comment: _comment, watch: _watch, apiKeyEnv: _apiKeyEnv, ...settings } = checked;
  return withoutUndefined({ provider: module.id, apiKey, ...settings }) as AnyAccountConfig;
}

/** Checks one field against its rule from `config-fields.ts`; returns its value. */
function checkField(value: Record<string, unknown>, key: string, rule: FieldRule, prefix: string, fail: Fail): unknown {
  const path = prefix === '' ? '' : prefix.slice(0, -1);
  switch (rule.type) {
    case 'string':
      return optionalString(value, key, path, fail);
    case 'boolean':
      return optionalBoolean(value, key, path, fail);
    case 'number':
      return optionalNumber(value, key, prefix, fail, rule);
    case 'object': {
      const field = value[key];
      if (field !== undefined && !isRecord(field))
        fail(`${prefix}${key}`, `expected an object, got ${describe(field)}`);
      return field;
    }
    case 'list': {
      const field = value[key];
      if (
        field !== undefined &&
        !(Array.isArray(field) && field.every((item) => typeof item === 'string' && item !== ''))
      )
        fail(`${prefix}${key}`, `expected a list of non-empty strings, got ${describe(field)}`);
      return field;
    }
    case 'headers': {
      const headers = value[key];
      if (
        headers !== undefined &&
        (!isRecord(headers) || Object.values(headers).some((header) => typeof header !== 'string'))
      ) {
        fail(`${prefix}${key}`, `expected an object of string values, got ${describe(headers)}`);
      }
      return headers;
    }
  }
}

function clientSettings(json: Record<string, unknown>, fail: Fail): AccountsConfig['settings'] {
  const settings = withoutUndefined({
    timeout: checkField(json, 'timeout', topLevelFields.timeout, '', fail) as number | undefined,
    maxRetries: checkField(json, 'maxRetries', topLevelFields.maxRetries, '', fail) as number | undefined,
    validateResponses: checkField(json, 'validateResponses', topLevelFields.validateResponses, '', fail) as
      boolean | undefined,
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
    return fail(path === '' ? key : `${path}.${key}`, `expected a non-empty string, got ${describe(field)}`);
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
