/** Deep enough for every real response; what lies below is replaced by a marker. */
export const maxJsonOutputDepth = 32;
export const jsonDepthMarker = `[nested deeper than ${maxJsonOutputDepth} levels: not shown]`;

/**
 * A copy of `value` that `JSON.stringify` cannot fail on: `toJSON` applied as `JSON.stringify`
 * would, nesting below `maxJsonOutputDepth` replaced by a marker, cycles cut, `undefined` as
 * `null` (so every field is present), and a getter or `toJSON` that throws shown as a marker.
 */
export function jsonSafeValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  let current = value;
  try {
    if (
      typeof current === 'object' &&
      current !== null &&
      typeof (current as { toJSON?: unknown }).toJSON === 'function'
    ) {
      current = (current as { toJSON(): unknown }).toJSON();
    }
  } catch {
    return '[could not be shown]';
  }
  if (current === undefined || typeof current === 'function' || typeof current === 'symbol') return null;
  if (typeof current === 'bigint') return current.toString();
  if (typeof current !== 'object' || current === null) return current;
  if (depth >= maxJsonOutputDepth) return jsonDepthMarker;
  if (seen.has(current)) return '[circular]';
  seen.add(current);
  try {
    if (Array.isArray(current)) return current.map((item) => jsonSafeValue(item, depth + 1, seen));
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(current)) {
      Object.defineProperty(copy, key, {
        value: jsonSafeValue(field, depth + 1, seen),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  } catch {
    return '[could not be shown]';
  } finally {
    seen.delete(current);
  }
}
