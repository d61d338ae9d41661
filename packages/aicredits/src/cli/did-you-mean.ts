/** The closest of `candidates` to a mistyped `input`, if one is close enough to be what was meant. */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(input) || input.startsWith(candidate) ? 1 : editDistance(input, candidate);
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  // Two edits, or a third of a long word: `balance` → `balances`, `--jsn` → `--json`, but not `x` → `iqqz`.
  const allowed = Math.max(2, Math.floor(input.length / 3));
  return best !== undefined && best.distance <= allowed && input.length > 1 ? best.candidate : undefined;
}

/** Levenshtein distance with adjacent transpositions (`jsno` → `json` is one edit). */
function editDistance(a: string, b: string): number {
  // Input is capped so a pasted megabyte cannot cost a megabyte squared.
  if (a.length > 64 || b.length > 64) return Number.POSITIVE_INFINITY;
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = distance;
    }
  }
  return rows[a.length]![b.length]!;
}
