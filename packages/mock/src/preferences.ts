/** What a request asks for through `Prefer` (or, without it, the `__code`-style query parameters). */
export interface RequestPreferences {
  code?: number;
  example?: string;
  dynamic?: boolean;
  seed?: string;
  /** Ours: a scenario for this one request. */
  scenario?: string;
  /** Ours: a delay for this one request, `500` or `100-900` (milliseconds). */
  delay?: string;
}

const names = ['code', 'example', 'dynamic', 'seed', 'scenario', 'delay'] as const;

/**
 * Parses `Prefer: code=401, example=failed` as Prism does (comma-separated `token=value`, quotes
 * allowed, token case ignored, the first of a repeated token wins), or throws a message for a 422.
 */
export function parsePreferences(prefer: string | undefined, query: URLSearchParams | undefined): RequestPreferences {
  const raw: Partial<Record<(typeof names)[number], string>> = {};
  if (prefer !== undefined && prefer !== '') {
    for (const preference of splitOutsideQuotes(prefer, ',')) {
      const [segment = ''] = splitOutsideQuotes(preference, ';');
      const separator = segment.indexOf('=');
      const token = (separator < 0 ? segment : segment.slice(0, separator)).trim().toLowerCase();
      let value = separator < 0 ? '' : segment.slice(separator + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      if ((names as readonly string[]).includes(token)) raw[token as (typeof names)[number]] ??= value;
    }
  } else if (query !== undefined) {
    for (const name of names) {
      const value = query.get(`__${name}`);
      if (value !== null) raw[name] = value;
    }
  }
  const preferences: RequestPreferences = {};
  if (raw.code !== undefined) {
    if (!/^\d{3}$/.test(raw.code)) throw new Error(`code must be a three-digit status, got "${raw.code}"`);
    preferences.code = Number(raw.code);
  }
  if (raw.dynamic !== undefined) {
    if (raw.dynamic !== 'true' && raw.dynamic !== 'false') throw new Error('dynamic must be true or false');
    preferences.dynamic = raw.dynamic === 'true';
  }
  if (raw.example !== undefined) preferences.example = raw.example;
  if (raw.seed !== undefined) preferences.seed = raw.seed;
  if (raw.scenario !== undefined) preferences.scenario = raw.scenario;
  if (raw.delay !== undefined) preferences.delay = raw.delay;
  return preferences;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (character === '"') quoted = !quoted;
    else if (character === separator && !quoted) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
