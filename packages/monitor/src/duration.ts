const units: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `90s`, `5m`, `1h30m`, `7d` → milliseconds; `undefined` for anything else. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > 40) return undefined;
  const pattern = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (const match of trimmed.matchAll(pattern)) {
    total += Number(match[1]) * units[match[2]!]!;
    matched += match[0].length;
  }
  if (matched !== trimmed.length || !Number.isFinite(total)) return undefined;
  return Math.round(total);
}

/** 90_000 → `1m30s`: the largest units, two at most. */
export function formatDuration(milliseconds: number): string {
  if (milliseconds < 1000) return `${Math.max(0, Math.round(milliseconds))}ms`;
  const parts: string[] = [];
  let rest = Math.round(milliseconds / 1000) * 1000;
  for (const [unit, size] of [
    ['d', units['d']!],
    ['h', units['h']!],
    ['m', units['m']!],
    ['s', units['s']!],
  ] as const) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.join('');
}
