/** The shape of a validator generated from a spec (Ajv standalone code). */
export interface ValidationIssue {
  instancePath: string;
  message?: string;
  keyword: string;
  params: Record<string, unknown>;
}

export interface Validator {
  (data: unknown): boolean;
  errors?: ValidationIssue[] | null;
}

/** The most specific problem Ajv found, as a JSON path and what was expected there. */
export function describeValidationFailure(
  validator: Validator,
  body: unknown,
  { quoteValues = true }: { quoteValues?: boolean } = {},
): { path: string; reason: string } {
  const issues = validator.errors ?? [];
  // Under `oneOf`/`anyOf` Ajv reports every branch; the deepest issue is the one a human wants.
  const issue = [...issues].sort((a, b) => depth(b.instancePath) - depth(a.instancePath))[0];
  if (issue === undefined) return { path: '$', reason: '$: does not match the schema' };
  const path = toJsonPath(issue.instancePath);
  const actual = valueAt(body, issue.instancePath);
  if (issue.keyword === 'required') {
    const missing = `${path === '$' ? '$' : path}.${String(issue.params['missingProperty'])}`;
    return { path: missing, reason: `${missing}: required property is missing` };
  }
  const expected =
    issue.keyword === 'type'
      ? `expected ${String(issue.params['type'])}`
      : (issue.message ?? `fails the ${issue.keyword} keyword`);
  // A response that holds secrets gets only the value's type: the value could be one.
  const got = quoteValues ? describeValue(actual) : describeType(actual);
  return { path, reason: `${path}: ${expected}, got ${got}` };
}

function depth(instancePath: string): number {
  return instancePath === '' ? 0 : instancePath.split('/').length;
}

function segments(instancePath: string): string[] {
  return instancePath === ''
    ? []
    : instancePath
        .slice(1)
        .split('/')
        .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function toJsonPath(instancePath: string): string {
  return segments(instancePath).reduce(
    (path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : `${path}.${segment}`),
    '$',
  );
}

function valueAt(body: unknown, instancePath: string): unknown {
  let value = body;
  for (const segment of segments(instancePath)) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return value;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}
