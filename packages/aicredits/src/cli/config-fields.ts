import { type ConfigField, type ConfigFields, maxTimerMs } from '@aicredits/core/provider-utils';

import { builtInProviders } from '../providers.js';

/**
 * The fields of `aicredits.config.json`, the one source of both the checks in `load-config.ts` and
 * the JSON Schema (`config-schema.ts`), so that the two cannot drift apart.
 */
export type FieldRule =
  | { type: 'string'; description: string }
  | { type: 'boolean'; description: string }
  | { type: 'number'; integer?: boolean; minimum: number; maximum?: number; description: string }
  | { type: 'headers'; description: string }
  /** Owned by another package (the monitor's `watch`), which checks it itself. */
  | { type: 'object'; description: string }
  | { type: 'list'; description: string };

export const topLevelFields = {
  $schema: { type: 'string', description: 'The JSON Schema of this file, for editor completion.' },
  $comment: { type: 'string', description: 'A note for people; ignored.' },
  providers: {
    type: 'list',
    description:
      'Third-party provider packages (or files relative to this one) whose provider modules accounts may use, besides the built-in ones.',
  },
  concurrency: {
    type: 'number',
    integer: true,
    minimum: 1,
    description: 'How many accounts are checked at once. Default 8; --concurrency overrides it.',
  },
  accountTimeout: {
    type: 'number',
    integer: true,
    minimum: 1,
    maximum: maxTimerMs,
    description: 'Time budget per account in milliseconds, retries included. Default 60000; --timeout overrides it.',
  },
  min: {
    type: 'number',
    minimum: 0,
    description: 'Alert threshold for accounts without their own min; --min overrides both.',
  },
  timeout: {
    type: 'number',
    integer: true,
    minimum: 1,
    maximum: maxTimerMs,
    description: 'Per-attempt HTTP timeout in milliseconds. Default 30000.',
  },
  maxRetries: {
    type: 'number',
    integer: true,
    minimum: 0,
    description: 'Retries after the first attempt for transient failures. Default 2.',
  },
  validateResponses: {
    type: 'boolean',
    description: "Check every successful response against the provider's spec. Default true.",
  },
  watch: { type: 'object', description: 'Settings of `aicredits watch` (@aicredits/monitor).' },
} as const satisfies Record<string, FieldRule>;

export const commonAccountFields = {
  $comment: { type: 'string', description: 'A note for people; ignored.' },
  label: {
    type: 'string',
    description: 'How the account is shown and filtered (--account). Default: the PixVerse email, else "default".',
  },
  apiKeyEnv: {
    type: 'string',
    description:
      "The NAME of the environment variable holding this account's API key (never the key). Default: the provider's own variable.",
  },
  baseURL: { type: 'string', description: 'Another base URL: a mock server, a proxy or a compatible gateway.' },
  headers: { type: 'headers', description: "Extra headers for this account's requests." },
  min: {
    type: 'number',
    minimum: 0,
    description: 'Alert threshold: the account is low when fewer than this are left.',
  },
  allowInsecureHttp: {
    type: 'boolean',
    description: 'Allow a plain http:// baseURL to a host other than this machine. Default false.',
  },
  watch: { type: 'object', description: 'Per-account settings of `aicredits watch` (@aicredits/monitor).' },
} as const satisfies Record<string, FieldRule>;

/**
 * A provider module's own account fields as config-file rules: each module declares them with
 * `configField`, whose JSON Schema is read here, so a new provider needs no entry in this file.
 */
export function accountFieldsOf(fields: ConfigFields): Record<string, FieldRule> {
  return Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, ruleOf(field)]));
}

function ruleOf(field: ConfigField<unknown>): FieldRule {
  const { schema } = field;
  switch (schema.type) {
    case 'string':
    case 'boolean':
      return { type: schema.type, description: schema.description };
    case 'number':
    case 'integer':
      return {
        type: 'number',
        integer: schema.type === 'integer',
        minimum: schema.minimum,
        ...(schema.maximum === undefined ? {} : { maximum: schema.maximum }),
        description: schema.description,
      };
    case 'object':
      return { type: 'headers', description: schema.description };
    case 'array':
      return { type: 'list', description: schema.description };
  }
}

/** The built-in providers' own account fields, by provider id. */
export const providerAccountFields: Record<string, Record<string, FieldRule>> = Object.fromEntries(
  builtInProviders.map((module) => [module.id, accountFieldsOf(module.accountFields)]),
);

/** The provider ids with their key variables, for the schema's descriptions. */
export function providerDescriptions(): string {
  return builtInProviders
    .map(({ id, definition }) => `${id} (key in ${definition.apiKeyEnvironmentVariable})`)
    .join(', ');
}
