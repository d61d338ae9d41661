/**
 * One field of an account's configuration: a small JSON Schema (the subset config files need)
 * plus the check that enforces it, so the CLI's validation, its help and a config JSON Schema
 * all come from the same declaration.
 */
export interface ConfigField<Value> {
  /** The field's JSON Schema (draft 2020-12), `description` included. */
  readonly schema: ConfigFieldSchema;
  /** The value, or what is wrong with it ("expected …, got …"). */
  parse(value: unknown): { value: Value } | { problem: string };
}

/** The JSON Schema of one config field: the subset config files need. */
export type ConfigFieldSchema =
  | { type: 'string'; description: string; minLength: 1; enum?: readonly string[] }
  | { type: 'boolean'; description: string }
  | { type: 'number' | 'integer'; description: string; minimum: number; maximum?: number }
  | { type: 'object'; description: string; additionalProperties: { type: 'string' } }
  | { type: 'array'; description: string; items: { type: 'string'; minLength: 1 } };

/** A provider's own account-config fields, by name (PixVerse `email`, iqqz `unit`). */
export type ConfigFields = Readonly<Record<string, ConfigField<unknown>>>;

/** The values a set of fields declares, each optional. */
export type ConfigValues<Fields extends ConfigFields> = {
  [Name in keyof Fields]?: (Fields[Name] extends ConfigField<infer Value> ? Value : never) | undefined;
};

/**
 * Declares a provider's account-config fields: each validates a config file's value with a clear
 * "expected …, got …" and gives its JSON Schema for the config file's schema and the CLI's help.
 *
 * @example
 * ```ts
 * import { configField } from '@aicredits/core/provider-utils';
 *
 * const accountFields = { unit: configField.string('Display unit of the gateway', { enum: ['USD', 'CNY'] }) };
 * ```
 */
export const configField = {
  /** A non-empty string, optionally one of `options.enum`. */
  string(description: string, options: { enum?: readonly string[] } = {}): ConfigField<string> {
    const allowed = options.enum;
    return {
      schema: { type: 'string', description, minLength: 1, ...(allowed === undefined ? {} : { enum: allowed }) },
      parse: (value) => {
        if (typeof value !== 'string' || value === '') {
          return { problem: `expected a non-empty string, got ${describeConfigValue(value)}` };
        }
        if (allowed !== undefined && !allowed.includes(value)) {
          return { problem: `expected one of ${allowed.join(', ')}, got ${describeConfigValue(value)}` };
        }
        return { value };
      },
    };
  },
  boolean(description: string): ConfigField<boolean> {
    return {
      schema: { type: 'boolean', description },
      parse: (value) =>
        typeof value === 'boolean'
          ? { value }
          : { problem: `expected true or false, got ${describeConfigValue(value)}` },
    };
  },
  /** A finite number from `minimum` (to `maximum`); `integer` for whole numbers. */
  number(description: string, options: { minimum: number; maximum?: number; integer?: boolean }): ConfigField<number> {
    const { minimum, maximum, integer = false } = options;
    const range = maximum === undefined ? `of at least ${minimum}` : `from ${minimum} to ${maximum}`;
    return {
      schema: {
        type: integer ? 'integer' : 'number',
        description,
        minimum,
        ...(maximum === undefined ? {} : { maximum }),
      },
      parse: (value) =>
        typeof value === 'number' &&
        Number.isFinite(value) &&
        value >= minimum &&
        value <= (maximum ?? Number.MAX_SAFE_INTEGER) &&
        (!integer || Number.isInteger(value))
          ? { value }
          : {
              problem: `expected ${integer ? 'a whole number' : 'a number'} ${range}, got ${describeConfigValue(value)}`,
            },
    };
  },
  /** An object of string values, e.g. extra headers. */
  stringRecord(description: string): ConfigField<Record<string, string>> {
    return {
      schema: { type: 'object', description, additionalProperties: { type: 'string' } },
      parse: (value) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((item) => typeof item === 'string')
          ? { value: value as Record<string, string> }
          : { problem: `expected an object of string values, got ${describeConfigValue(value)}` },
    };
  },
  /** A list of non-empty strings. */
  stringList(description: string): ConfigField<string[]> {
    return {
      schema: { type: 'array', description, items: { type: 'string', minLength: 1 } },
      parse: (value) =>
        Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '')
          ? { value: value as string[] }
          : { problem: `expected a list of non-empty strings, got ${describeConfigValue(value)}` },
    };
  },
};

/** The JSON Schema `properties` of a set of fields. */
export function configFieldsJsonSchema(fields: ConfigFields): Record<string, ConfigFieldSchema> {
  return Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.schema]));
}

/** A value as config errors show it: its type, and the value itself only for short scalars. */
export function describeConfigValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
