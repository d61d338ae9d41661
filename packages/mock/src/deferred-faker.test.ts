import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

const builtEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

// A schema whose value only faker can produce: json-schema-faker hands `x-faker` to faker.
const fakerSpec = `openapi: 3.0.3
info: { title: faker, version: '1' }
paths:
  /word:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [word]
                additionalProperties: false
                properties:
                  word:
                    type: string
                    x-faker:
                      helpers.arrayElement: [[only-faker-says-this]]
`;

// Its own process, so that the module cache it inspects holds nothing another test loaded.
const child = `
import { createRequire } from 'node:module';
const [entry, specsDirectory] = process.argv.slice(1);
const { startMockServers } = await import(entry);
const cache = createRequire(import.meta.url).cache;
const fakerLoaded = () => Object.keys(cache).some((file) => /[\\\\/]@faker-js[\\\\/]faker[\\\\/]dist[\\\\/]cjs[\\\\/]locales[\\\\/]/.test(file));
const servers = await startMockServers({ providers: ['iqqz'], specsDirectory });
try {
  const atStart = fakerLoaded();
  const example = await fetch(servers.urls.iqqz + '/word');
  await example.arrayBuffer();
  const afterExample = fakerLoaded();
  const dynamic = await fetch(servers.urls.iqqz + '/word', { headers: { prefer: 'dynamic=true' } });
  process.stdout.write(JSON.stringify({ atStart, afterExample, status: dynamic.status, body: await dynamic.json(), afterDynamic: fakerLoaded() }));
} finally {
  await servers.close();
}
`;

describe('faker, deferred until a dynamic answer needs it', () => {
  it('is not loaded by starting the mock or by an answer without x-faker, and still answers x-faker schemas', async () => {
    if (!existsSync(builtEntry)) throw new Error(`${builtEntry} is missing: run \`npx tsup\` before the tests`);
    const directory = mkdtempSync(path.join(tmpdir(), 'aicredits-mock-faker-'));
    try {
      writeFileSync(path.join(directory, 'iqqz.yaml'), fakerSpec);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--input-type=module', '--eval', child, pathToFileURL(builtEntry).href, directory],
        { timeout: 60_000 },
      );
      expect(JSON.parse(stdout)).toEqual({
        atStart: false,
        afterExample: false,
        status: 200,
        body: { word: 'only-faker-says-this' },
        afterDynamic: true,
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
