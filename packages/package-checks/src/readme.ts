import { readFileSync } from 'node:fs';

/** A fenced code block of a Markdown file. */
export interface FencedBlock {
  /** The info string's first word, e.g. `ts`, `js`, `sh`; empty for a plain fence. */
  language: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The block's lines, without the fences. */
  lines: string[];
  /** The HTML comment on the line just above the fence (`<!-- ... -->`, trimmed), if any. */
  marker?: string;
}

/**
 * The fenced code blocks of a Markdown document (``` and ~~~ fences, CommonMark's closing rule: the
 * same character, at least as long, nothing after it). Enough for our READMEs; not a full parser.
 */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  let open: { fence: string; block: FencedBlock } | undefined;
  lines.forEach((text, index) => {
    if (open === undefined) {
      const opening = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(text);
      if (opening === null) return;
      const above = lines[index - 1]?.trim() ?? '';
      const block: FencedBlock = { language: (opening[2] ?? '').toLowerCase(), line: index + 1, lines: [] };
      if (/^<!--.*-->$/.test(above)) block.marker = above;
      open = { fence: opening[1]!, block };
      return;
    }
    const closing = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
    if (closing !== null && closing[1]![0] === open.fence[0] && closing[1]!.length >= open.fence.length) {
      blocks.push(open.block);
      open = undefined;
      return;
    }
    open.block.lines.push(text);
  });
  return blocks;
}

export function readFencedBlocks(file: string): FencedBlock[] {
  return fencedBlocks(readFileSync(file, 'utf8'));
}

/** Marks a README block that is the output of the package's `examples/readme-example.mjs`. */
export const exampleOutputMarker = '<!-- output of examples/readme-example.mjs -->';
/** Marks a `ts` block the snippet type-check leaves out (prefer none). */
export const notCheckedMarker = '<!-- not-checked -->';
