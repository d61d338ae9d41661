import { redactedPlaceholder, redactSecrets } from './redact.js';

/** Deeper than any real account response; what lies below is replaced by a marker. */
export const maxJsonDepth = 64;
export const depthMarker = `[nested deeper than ${maxJsonDepth} levels: not kept]`;

export interface SanitizedJson {
  /** A copy of the value with secrets redacted, secret fields masked and deep nesting cut. */
  value: unknown;
  /** JSON path of the first number JSON cannot represent exactly enough (`1e999` parses as Infinity). */
  nonFinitePath: string | undefined;
}

/**
 * Copies parsed JSON with every string (keys included) redacted, the values of `secretFields`
 * masked, levels below `maxJsonDepth` replaced by a marker, and non-finite numbers found. Iterative,
 * so that a body nested a million levels deep costs memory in proportion to its size, not stack.
 */
export function sanitizeJson(
  parsed: unknown,
  secrets: readonly (string | undefined)[],
  secretFields: readonly string[] = [],
): SanitizedJson {
  let nonFinitePath: string | undefined;
  const copyLeaf = (value: unknown, path: () => string): unknown => {
    if (typeof value === 'string') return redactSecrets(value, secrets);
    if (typeof value === 'number' && !Number.isFinite(value)) nonFinitePath ??= path();
    return value;
  };
  const root: { value: unknown } = { value: undefined };
  type Task = {
    source: unknown;
    target: Record<string, unknown> | unknown[];
    key: string | number;
    depth: number;
    path: string;
  };
  const stack: Task[] = [
    { source: parsed, target: root as unknown as Record<string, unknown>, key: 'value', depth: 0, path: '$' },
  ];
  while (stack.length > 0) {
    const { source, target, key, depth, path } = stack.pop()!;
    const place = (value: unknown) => {
      if (Array.isArray(target)) target[key as number] = value;
      // defineProperty: a `__proto__` key in a body stays an ordinary field, never a prototype.
      else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    };
    if (typeof source !== 'object' || source === null) {
      place(copyLeaf(source, () => path));
      continue;
    }
    if (depth >= maxJsonDepth) {
      place(depthMarker);
      continue;
    }
    if (Array.isArray(source)) {
      // oxlint-disable-next-line unicorn/no-new-array -- always a length: the copy is preallocated, then filled from the end
      const copy: unknown[] = new Array(source.length);
      place(copy);
      for (let index = source.length - 1; index >= 0; index--) {
        stack.push({ source: source[index], target: copy, key: index, depth: depth + 1, path: `${path}[${index}]` });
      }
      continue;
    }
    const copy: Record<string, unknown> = {};
    place(copy);
    const entries = Object.entries(source);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [field, value] = entries[index]!;
      const safeField = redactSecrets(field, secrets);
      if (secretFields.includes(field)) {
        Object.defineProperty(copy, safeField, {
          value: redactedPlaceholder,
          enumerable: true,
          writable: true,
          configurable: true,
        });
        continue;
      }
      stack.push({ source: value, target: copy, key: safeField, depth: depth + 1, path: `${path}.${safeField}` });
    }
  }
  return { value: root.value, nonFinitePath };
}

/**
 * Whether `sanitizeJson` would return a copy equal to `parsed` when no string holds a secret:
 * nothing nested too deep and every number finite. Walking costs far less than copying.
 */
export function isPlainJson(parsed: unknown, depth = 0): boolean {
  if (typeof parsed === 'number') return Number.isFinite(parsed);
  if (typeof parsed !== 'object' || parsed === null) return true;
  if (depth >= maxJsonDepth) return false;
  for (const value of Array.isArray(parsed) ? parsed : Object.values(parsed)) {
    if (!isPlainJson(value, depth + 1)) return false;
  }
  return true;
}

/**
 * Replaces the values of the named fields, at any depth, in a JSON body kept for an error. For
 * responses that carry secrets of their own (PixVerse's account list holds session tokens).
 */
export function maskSecretFields(rawBody: string, fields: readonly string[]): { rawBody: string; body: unknown } {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    // Unparsable, so the secrets cannot be found and removed: keep nothing.
    return { rawBody: `${redactedPlaceholder} (unparsable body of a response that holds secrets)`, body: undefined };
  }
  const masked = sanitizeJson(body, [], fields).value;
  return { rawBody: JSON.stringify(masked), body: masked };
}
