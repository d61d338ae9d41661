export const redactedPlaceholder = '[REDACTED]';

/**
 * An echo this long of any part of a key is recognisable (a server quoting "sk-proj-abc…" back);
 * shorter runs would shred ordinary text. Keys shorter than this are matched whole.
 */
const fragmentLength = 12;
/** Very short "secrets" would shred ordinary text; real API keys are long. */
const minimumSecretLength = 4;

/**
 * The strings to hide for configured keys: each as sent, trimmed (fetch trims header values, and a
 * key file's trailing newline is the usual difference). Every echo of the key as given contains it.
 */
export function secretForms(secrets: readonly (string | undefined)[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    const form = secret?.trim();
    if (form !== undefined && form.length >= minimumSecretLength) forms.add(form);
  }
  return [...forms];
}

/**
 * Replaces every echo of each secret in `text`, and every run of at least twelve of its characters.
 * Providers echo the token they were sent ("invalid token sk-..."), sometimes escaped: JSON `\uXXXX`
 * or `\/`, URL `%XX`, HTML `&#NN;`. Matching runs on the text with those escapes decoded, and the
 * whole escaped span is replaced, so every form of the echo goes.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  if (text === '') return text;
  const fragments = fragmentsOf(secretForms(secrets));
  // Shorter than every fragment even before decoding (an escape only makes text longer): nothing to find.
  if (fragments.size === 0 || text.length < shortestFragment(fragments)) return text;
  const view = decodedView(text);
  const ranges: Array<[number, number]> = [];
  for (const fragment of fragments) {
    for (let at = view.text.indexOf(fragment); at !== -1; at = view.text.indexOf(fragment, at + 1)) {
      ranges.push([at, at + fragment.length]);
    }
  }
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let result = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index < ranges.length) {
    let [start, end] = ranges[index]!;
    // Overlapping or touching runs are one echo: one placeholder.
    while (++index < ranges.length && ranges[index]![0] <= end) end = Math.max(end, ranges[index]![1]);
    const rawStart = view.rawStart(start);
    const rawEnd = view.rawEnd(end - 1);
    result += text.slice(copiedUpTo, rawStart) + redactedPlaceholder;
    copiedUpTo = rawEnd;
  }
  return result + text.slice(copiedUpTo);
}

/** Whether `text` holds an echo of a secret that `redactSecrets` would replace. */
export function containsSecret(text: string, secrets: readonly (string | undefined)[]): boolean {
  return redactSecrets(text, secrets) !== text;
}

// The same key is redacted from every string of a body: its fragments are worked out once.
let cachedFor = '';
let cachedFragments = new Set<string>();

function shortestFragment(fragments: Set<string>): number {
  let shortest = Number.POSITIVE_INFINITY;
  for (const fragment of fragments) shortest = Math.min(shortest, fragment.length);
  return shortest;
}

function fragmentsOf(secrets: readonly string[]): Set<string> {
  // NUL cannot occur in a key that passed the check, so it separates them unambiguously.
  const cacheKey = secrets.join('\u0000');
  if (cacheKey === cachedFor) return cachedFragments;
  const fragments = new Set<string>();
  for (const secret of secrets) {
    const size = Math.min(fragmentLength, secret.length);
    for (let at = 0; at + size <= secret.length; at++) fragments.add(secret.slice(at, at + size));
  }
  cachedFor = cacheKey;
  cachedFragments = fragments;
  return fragments;
}

interface DecodedView {
  text: string;
  /** Offset in the raw text where decoded character `index` begins. */
  rawStart(index: number): number;
  /** Offset in the raw text just after decoded character `index`. */
  rawEnd(index: number): number;
}

const escapeCandidate = /[\\%&]/g;

/** `text` with JSON, URL and HTML character escapes decoded, mapped back to raw offsets. */
function decodedView(text: string): DecodedView {
  // Pieces of the decoded text: plain runs copied as they are, and one piece per decoded escape.
  const decodedOffsets: number[] = [];
  const rawOffsets: number[] = [];
  const escaped: boolean[] = [];
  let decoded = '';
  let plainFrom = 0;
  const addPiece = (rawOffset: number, isEscape: boolean) => {
    decodedOffsets.push(decoded.length);
    rawOffsets.push(rawOffset);
    escaped.push(isEscape);
  };
  escapeCandidate.lastIndex = 0;
  for (let match = escapeCandidate.exec(text); match !== null; match = escapeCandidate.exec(text)) {
    const [character, length] = decodeAt(text, match.index);
    if (length === 1) continue;
    if (match.index > plainFrom) {
      addPiece(plainFrom, false);
      decoded += text.slice(plainFrom, match.index);
    }
    addPiece(match.index, true);
    decoded += character;
    plainFrom = match.index + length;
    escapeCandidate.lastIndex = plainFrom;
  }
  if (decodedOffsets.length === 0) return { text, rawStart: (index) => index, rawEnd: (index) => index + 1 };
  if (plainFrom < text.length) {
    addPiece(plainFrom, false);
    decoded += text.slice(plainFrom);
  }
  rawOffsets.push(text.length);
  decodedOffsets.push(decoded.length);
  const pieceOf = (index: number): number => {
    let low = 0;
    let high = decodedOffsets.length - 2;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (decodedOffsets[middle]! <= index) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  return {
    text: decoded,
    rawStart(index) {
      const piece = pieceOf(index);
      return escaped[piece] ? rawOffsets[piece]! : rawOffsets[piece]! + index - decodedOffsets[piece]!;
    },
    rawEnd(index) {
      const piece = pieceOf(index);
      return escaped[piece] ? rawOffsets[piece + 1]! : rawOffsets[piece]! + index - decodedOffsets[piece]! + 1;
    },
  };
}

const simpleJsonEscapes: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** The character an escape at `at` stands for and the escape's length; else the character itself. */
function decodeAt(text: string, at: number): [string, number] {
  const character = text[at]!;
  if (character === '\\') {
    const next = text[at + 1];
    if (next === 'u' && /^[0-9a-f]{4}$/i.test(text.slice(at + 2, at + 6))) {
      return [String.fromCharCode(Number.parseInt(text.slice(at + 2, at + 6), 16)), 6];
    }
    if (next === 'x' && /^[0-9a-f]{2}$/i.test(text.slice(at + 2, at + 4))) {
      return [String.fromCharCode(Number.parseInt(text.slice(at + 2, at + 4), 16)), 4];
    }
    if (next !== undefined && next in simpleJsonEscapes) return [simpleJsonEscapes[next]!, 2];
  } else if (character === '%' && /^[0-9a-f]{2}$/i.test(text.slice(at + 1, at + 3))) {
    return [String.fromCharCode(Number.parseInt(text.slice(at + 1, at + 3), 16)), 3];
  } else if (character === '&') {
    const entity = /^&#(?:x([0-9a-f]{1,6})|(\d{1,7}));/i.exec(text.slice(at, at + 12));
    if (entity !== null) {
      const codePoint = entity[1] === undefined ? Number(entity[2]) : Number.parseInt(entity[1], 16);
      if (codePoint <= 0x10ffff) return [String.fromCodePoint(codePoint), entity[0].length];
    }
  }
  return [character, 1];
}
