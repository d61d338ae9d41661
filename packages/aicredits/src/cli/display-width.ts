/** Code points a terminal draws two columns wide: East Asian Wide and Fullwidth, and emoji. */
const wide =
  /^(?:[\u1100-\u115f\u231a\u231b\u2329\u232a\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b\u2b1c\u2b50\u2b55\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6f\uff00-\uff60\uffe0-\uffe6]|[\u{1f000}-\u{1fbff}\u{20000}-\u{3fffd}])/u;
/** Code points that take no column: combining marks, format characters, variation selectors. */
const zeroWidth = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Columns one grapheme takes: its first code point decides (an emoji ZWJ sequence is one emoji). */
function graphemeWidth(grapheme: string): number {
  const first = String.fromCodePoint(grapheme.codePointAt(0)!);
  if (zeroWidth.test(first)) return 0;
  // U+FE0F asks for emoji presentation: ❤️ is two columns, ❤ one.
  if (wide.test(first) || grapheme.includes('\ufe0f')) return 2;
  return 1;
}

/** How many terminal columns `text` takes (CJK and emoji two, combining marks none). */
export function displayWidth(text: string): number {
  // Printable ASCII is one column a character: the common case needs no segmentation.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const { segment } of graphemes.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** `text` cut to at most `maxWidth` columns, ending in `…` when cut; never splits a grapheme. */
export function truncateToWidth(text: string, maxWidth: number): string {
  // No grapheme is narrower than zero columns in practice but combining runs; 4 units a column bounds the work.
  const bounded = text.length > maxWidth * 4 ? text.slice(0, maxWidth * 4) : text;
  if (bounded === text && displayWidth(text) <= maxWidth) return text;
  let result = '';
  let width = 0;
  for (const { segment } of graphemes.segment(bounded)) {
    const next = graphemeWidth(segment);
    if (width + next > maxWidth - 1) break;
    result += segment;
    width += next;
  }
  return `${result}…`;
}

/** `text` padded with spaces to `width` columns. */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
