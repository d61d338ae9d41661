import { providerIds } from '../providers.js';
import {
  commonAccountFields,
  type FieldRule,
  providerAccountFields,
  providerDescriptions,
  topLevelFields,
} from './config-fields.js';

/**
 * The JSON Schema of `aicredits.config.json`, built from the same field list the CLI checks the
 * file with. The build writes it to `dist/config.schema.json`; `"$schema"` pointing there gives
 * editors completion and checking.
 */
export function configJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'aicredits config (aicredits.config.json)',
    description:
      'Accounts whose credits `aicredits balances` checks. API keys never go here: name their environment variables in apiKeyEnv.',
    type: 'object',
    additionalProperties: false,
    required: ['accounts'],
    properties: {
      ...properties(topLevelFields),
      accounts: {
        type: 'array',
        minItems: 1,
        description: `One entry per account. Providers: ${providerDescriptions()}, and those of the packages in "providers".`,
      },
    },
    // Accounts of a third-party provider only with "providers" naming packages; their own fields
    // are the package's to declare, so the CLI checks them when it has loaded the package.
    anyOf: [
      { properties: { accounts: { items: { oneOf: providerIds.map(accountSchema) } } } },
      {
        required: ['providers'],
        properties: {
          providers: { minItems: 1 },
          accounts: { items: { oneOf: [...providerIds.map(accountSchema), thirdPartyAccountSchema()] } },
        },
      },
    ],
  };
}

function thirdPartyAccountSchema(): Record<string, unknown> {
  return {
    type: 'object',
    description: 'An account of a provider from a package named in "providers", with that provider\'s own fields.',
    required: ['provider'],
    not: { required: ['apiKey'] },
    properties: {
      provider: {
        type: 'string',
        minLength: 1,
        not: { enum: providerIds },
        description: 'The id of a provider module exported by a package in "providers".',
      },
      ...properties(commonAccountFields),
    },
  };
}

function accountSchema(provider: (typeof providerIds)[number]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['provider'],
    properties: {
      provider: { const: provider },
      ...properties({ ...commonAccountFields, ...providerAccountFields[provider] }),
    },
  };
}

function properties(fields: Record<string, FieldRule>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([name, rule]) => [name, fieldSchema(rule)]));
}

function fieldSchema(rule: FieldRule): Record<string, unknown> {
  switch (rule.type) {
    case 'string':
      return { type: 'string', minLength: 1, description: rule.description };
    case 'boolean':
      return { type: 'boolean', description: rule.description };
    case 'headers':
      return { type: 'object', additionalProperties: { type: 'string' }, description: rule.description };
    case 'object':
      return { type: 'object', description: rule.description };
    case 'list':
      return { type: 'array', items: { type: 'string', minLength: 1 }, description: rule.description };
    case 'number':
      return {
        type: rule.integer ? 'integer' : 'number',
        minimum: rule.minimum,
        ...(rule.maximum === undefined ? {} : { maximum: rule.maximum }),
        description: rule.description,
      };
  }
}
