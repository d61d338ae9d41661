import { describe, expect, it } from 'vitest';

import { describeValidationFailure, type ValidationIssue, type Validator } from './validation.js';

/** A validator that has already run and left these issues, as an Ajv validator does. */
function failedWith(...issues: ValidationIssue[]): Validator {
  const validator: Validator = () => false;
  validator.errors = issues;
  return validator;
}

describe('describeValidationFailure', () => {
  it('names a type mismatch with a JSON path and the actual value', () => {
    const body = { data: { totalPoints: '120' } };
    const validator = failedWith({
      instancePath: '/data/totalPoints',
      keyword: 'type',
      params: { type: 'number' },
      message: 'must be number',
    });
    expect(describeValidationFailure(validator, body)).toEqual({
      path: '$.data.totalPoints',
      reason: '$.data.totalPoints: expected number, got string "120"',
    });
  });

  it('writes array indices in brackets', () => {
    const body = { items: [{ name: 'a' }, { name: 7 }] };
    const validator = failedWith({ instancePath: '/items/1/name', keyword: 'type', params: { type: 'string' } });
    expect(describeValidationFailure(validator, body)).toEqual({
      path: '$.items[1].name',
      reason: '$.items[1].name: expected string, got number 7',
    });
  });

  it('names the missing property of a required failure', () => {
    const validator = failedWith({
      instancePath: '/data',
      keyword: 'required',
      params: { missingProperty: 'balance' },
      message: "must have required property 'balance'",
    });
    expect(describeValidationFailure(validator, { data: {} })).toEqual({
      path: '$.data.balance',
      reason: '$.data.balance: required property is missing',
    });
    const atRoot = failedWith({ instancePath: '', keyword: 'required', params: { missingProperty: 'balance' } });
    expect(describeValidationFailure(atRoot, {}).path).toBe('$.balance');
  });

  it('picks the deepest issue, as under oneOf every branch reports', () => {
    const validator = failedWith(
      { instancePath: '', keyword: 'oneOf', params: {}, message: 'must match exactly one schema in oneOf' },
      { instancePath: '/a/b', keyword: 'type', params: { type: 'integer' }, message: 'must be integer' },
      { instancePath: '/a', keyword: 'type', params: { type: 'null' }, message: 'must be null' },
    );
    expect(describeValidationFailure(validator, { a: { b: 1.5 } })).toEqual({
      path: '$.a.b',
      reason: '$.a.b: expected integer, got number 1.5',
    });
  });

  it("uses Ajv's message for other keywords", () => {
    const validator = failedWith({
      instancePath: '/status',
      keyword: 'enum',
      params: { allowedValues: ['active', 'expired'] },
      message: 'must be equal to one of the allowed values',
    });
    const { reason } = describeValidationFailure(validator, { status: 'paused' });
    expect(reason).toMatch(/^\$\.status: must be equal to one of the allowed values, got string "paused"$/);
    const noMessage = failedWith({ instancePath: '/n', keyword: 'minimum', params: { limit: 0 } });
    expect(describeValidationFailure(noMessage, { n: -1 }).reason).toBe(
      '$.n: fails the minimum keyword, got number -1',
    );
  });

  it('describes every kind of actual value', () => {
    const describe = (value: unknown) =>
      describeValidationFailure(failedWith({ instancePath: '/v', keyword: 'type', params: { type: 'number' } }), {
        v: value,
      }).reason;
    expect(describe(null)).toBe('$.v: expected number, got null');
    expect(describe([1])).toBe('$.v: expected number, got array');
    expect(describe({})).toBe('$.v: expected number, got object');
    expect(describe(true)).toBe('$.v: expected number, got boolean true');
    expect(describe(undefined)).toBe('$.v: expected number, got undefined');
    expect(describe('x'.repeat(50))).toBe(`$.v: expected number, got string "${'x'.repeat(40)}…"`);
  });

  it('unescapes JSON pointer segments', () => {
    const validator = failedWith({ instancePath: '/a~1b/c~0d', keyword: 'type', params: { type: 'string' } });
    expect(describeValidationFailure(validator, { 'a/b': { 'c~d': 1 } })).toEqual({
      path: '$.a/b.c~d',
      reason: '$.a/b.c~d: expected string, got number 1',
    });
  });

  it('falls back to the root when the validator left no issues', () => {
    const validator: Validator = () => false;
    expect(describeValidationFailure(validator, {})).toEqual({ path: '$', reason: '$: does not match the schema' });
    validator.errors = null;
    expect(describeValidationFailure(validator, {}).path).toBe('$');
  });
});

/** A branch marker as scripts/generate-validators.mjs emits it before each anyOf/oneOf branch. */
function marker(
  instancePath: string,
  occurrence: number,
  index: number,
  name: string,
  properties: string[],
): ValidationIssue[] {
  const schemaPath = `#/anyOf/${index * 2}`;
  return [
    {
      instancePath,
      schemaPath: `${schemaPath}/const`,
      keyword: 'const',
      params: { allowedValue: `aicredits-branch:${occurrence}:${index}:${name}:${properties.join(',')}` },
    },
    { instancePath, schemaPath: `${schemaPath}/not`, keyword: 'not', params: {} },
  ];
}

describe('describeValidationFailure under anyOf/oneOf', () => {
  const anyOf = (instancePath: string): ValidationIssue => ({
    instancePath,
    schemaPath: '#/anyOf',
    keyword: 'anyOf',
    params: {},
  });

  it('names the branch sharing the most properties with the body, even when another has a deeper issue', () => {
    const validator = failedWith(
      ...marker('', 1, 0, 'Limits', ['hard_limit', 'plan', 'expires']),
      { instancePath: '', keyword: 'required', params: { missingProperty: 'expires' } },
      ...marker('', 1, 1, 'Failure', ['error']),
      { instancePath: '/error', keyword: 'type', params: { type: 'object' } },
      anyOf(''),
    );
    expect(describeValidationFailure(validator, { hard_limit: 5, plan: 'pro', error: null })).toEqual({
      path: '$.expires',
      reason: '$.expires: required property is missing (nearest match: Limits)',
    });
  });

  it('between branches sharing as much: the one with fewer issues, then the deeper one', () => {
    const validator = failedWith(
      ...marker('', 1, 0, 'A', ['x', 'y']),
      { instancePath: '/x', keyword: 'type', params: { type: 'string' } },
      { instancePath: '/y', keyword: 'type', params: { type: 'string' } },
      ...marker('', 1, 1, 'B', ['x', 'y']),
      { instancePath: '/x', keyword: 'type', params: { type: 'number' } },
      anyOf(''),
    );
    expect(describeValidationFailure(validator, { x: true, y: 1 }).reason).toBe(
      '$.x: expected number, got boolean true (nearest match: B)',
    );
  });

  it('a nested anyOf inside the chosen branch names both choices', () => {
    const validator = failedWith(
      ...marker('', 1, 0, 'Envelope', ['data']),
      ...marker('/data', 2, 0, 'Points', ['points']),
      { instancePath: '/data/points', keyword: 'type', params: { type: 'number' } },
      ...marker('/data', 2, 1, 'Text', []),
      { instancePath: '/data', keyword: 'type', params: { type: 'string' } },
      anyOf('/data'),
      ...marker('', 1, 1, 'Nothing', []),
      { instancePath: '', keyword: 'type', params: { type: 'null' } },
      anyOf(''),
    );
    expect(describeValidationFailure(validator, { data: { points: 'many' } }).reason).toBe(
      '$.data.points: expected number, got string "many" (nearest match: Envelope, Points at $.data)',
    );
  });

  it('a oneOf that several branches match says so', () => {
    const validator = failedWith(...marker('', 1, 0, 'A', ['x']), ...marker('', 1, 1, 'B', ['x']), {
      instancePath: '',
      schemaPath: '#/oneOf',
      keyword: 'oneOf',
      params: { passingSchemas: [1, 3] },
    });
    expect(describeValidationFailure(validator, { x: 1 }).reason).toBe(
      '$: matches more than one of the oneOf branches',
    );
  });
});
