// The README's "QA recipes", run line by line: each `npx aicredits-mock ...` line starts the built
// bin (on free ports instead of 4010-4013), each `curl` line is sent as curl would send it, and
// each `# → ...` line is checked against what curl would print. Serial: one bin at a time.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { mockProviderIds } from './mock-provider-id.js';
import { startBin } from './test-support/bin-process.js';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const documentedBasePort = 4010;

interface Recipe {
  readonly title: string;
  readonly lines: readonly string[];
}

function readRecipes(): Recipe[] {
  const text = readFileSync(readmePath, 'utf8');
  const recipes: Recipe[] = [];
  for (const section of text.split(/^### /m).slice(1)) {
    const match = /<!-- qa-recipe -->\n```sh\n([\s\S]*?)```/.exec(section);
    if (match === null) continue;
    const title = section.slice(0, section.indexOf('\n'));
    recipes.push({ title, lines: (match[1] ?? '').split('\n').filter((line) => line.trim() !== '') });
  }
  return recipes;
}

/** Splits a shell command line into words, honouring single and double quotes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /'([^']*)'|"((?:\\.|[^"\\])*)"|(\S+)/g;
  for (const match of line.matchAll(pattern))
    words.push(match[1] ?? match[2]?.replace(/\\(.)/g, '$1') ?? match[3] ?? '');
  return words;
}

/** What `curl <args>` prints, for the options the recipes use: -s, -i, -X, -H, --data. */
async function curl(args: readonly string[], rewriteURL: (url: string) => string): Promise<string> {
  let method: string | undefined;
  let include = false;
  let body: string | undefined;
  let url: string | undefined;
  const headers = new Headers();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? '';
    if (arg === '-s') continue;
    else if (arg === '-i') include = true;
    else if (arg === '-X') method = args[++index];
    else if (arg === '-H') {
      const header = args[++index] ?? '';
      const separator = header.indexOf(':');
      headers.set(header.slice(0, separator).trim(), header.slice(separator + 1).trim());
    } else if (arg === '--data' || arg === '-d') {
      body = args[++index];
      // As curl does for --data without a content type of its own.
      if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded');
    } else if (arg.startsWith('http')) url = arg;
    else throw new Error(`The recipe test's curl does not know ${arg}`);
  }
  if (url === undefined) throw new Error('curl without a URL');
  const response = await fetch(rewriteURL(url), {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await response.text();
  if (!include) return text;
  const head = [`HTTP/1.1 ${response.status} ${response.statusText}`];
  response.headers.forEach((value, name) => head.push(`${name}: ${value}`));
  return `${head.join('\r\n')}\r\n\r\n${text}`;
}

/** `# → a…b` means: the output contains `a`, and after it `b`. */
function expectOutput(output: string, expected: string, where: string): void {
  let from = 0;
  for (const piece of expected
    .split('…')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const found = output.indexOf(piece, from);
    expect(found, `${where}: "${piece}" not found (in order) in:\n${output}`).toBeGreaterThanOrEqual(0);
    from = found + piece.length;
  }
}

const recipes = readRecipes();

describe('README QA recipes', () => {
  it('are the four documented ones', () => {
    expect(recipes.map((recipe) => recipe.title)).toEqual([
      'Start in a state',
      'Script a retry sequence',
      'Watch credits run down',
      'Read the journal',
    ]);
  });

  it.each(recipes)('$title', async ({ title, lines }) => {
    const [start, ...rest] = lines;
    const words = shellWords(start ?? '');
    expect(words.slice(0, 2), `${title}: first line`).toEqual(['npx', 'aicredits-mock']);
    const args = words.slice(2);
    const portIndex = args.indexOf('--port');
    expect(args[portIndex + 1]).toBe(String(documentedBasePort));
    args.splice(portIndex, 2);
    const bin = startBin(args);
    try {
      const providerOption = args[args.indexOf('--provider') + 1];
      const started = args.includes('--provider') ? (providerOption ?? '').split(',') : [...mockProviderIds];
      const urls = new Map((await bin.lines(started.length)).map((line) => line.split(' ') as [string, string]));
      // http://127.0.0.1:4011 is pixverse's documented address: map it to where pixverse listens now.
      const rewriteURL = (url: string): string =>
        url.replace(/^http:\/\/127\.0\.0\.1:(\d+)/, (whole, port: string) => {
          const provider = mockProviderIds[Number(port) - documentedBasePort];
          const actual = provider === undefined ? undefined : urls.get(provider);
          if (actual === undefined) throw new Error(`${title}: ${whole} is no started provider's documented address`);
          return actual;
        });
      let output: string | undefined;
      for (const [index, line] of rest.entries()) {
        const where = `${title}, line ${index + 2}: ${line}`;
        if (line.startsWith('curl ')) output = await curl(shellWords(line).slice(1), rewriteURL);
        else if (line.startsWith('# → ')) {
          expect(output, `${where}: an expected output needs a curl line before it`).toBeDefined();
          expectOutput(output ?? '', line.slice('# → '.length), where);
        } else throw new Error(`${where}: the recipe test runs only curl lines and # → outputs`);
      }
      expect(await bin.stop()).toEqual([0, null]);
    } finally {
      await bin.kill();
    }
  });
});
