// The providers' own example bodies: each spec's first 200 example is the seed page's example
// verbatim (see specs/*.yaml), so the benchmarks need nothing outside the repository.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The first `example` / `examples` entry of the 200 JSON response of `GET path` in `specs/<spec>.yaml`. */
function firstExample(spec, path) {
  const document = parse(readFileSync(join(repoRoot, 'specs', `${spec}.yaml`), 'utf8'));
  const media = document.paths?.[path]?.get?.responses?.['200']?.content?.['application/json'];
  const example = media?.example ?? Object.values(media?.examples ?? {})[0]?.value;
  if (example === undefined) throw new Error(`specs/${spec}.yaml has no 200 example for GET ${path}`);
  return example;
}

/** Per provider: the request path, its auth header, and the seed body (a compact JSON string). */
export function loadSeeds() {
  const seed = (spec, path, headers, apiKey) => ({
    path,
    headers,
    apiKey,
    body: JSON.stringify(firstExample(spec, path)),
  });
  return {
    imaginepro: seed(
      'imaginepro',
      '/api/v1/subscription/account-info',
      { authorization: 'Bearer bench-imaginepro-key' },
      'bench-imaginepro-key',
    ),
    crowdcomputed: seed(
      'crowdcomputed',
      '/api/v1/member/info',
      { token: 'bench-crowdcomputed-key' },
      'bench-crowdcomputed-key',
    ),
    iqqz: seed(
      'iqqz',
      '/v1/dashboard/billing/subscription',
      { authorization: 'Bearer bench-iqqz-key' },
      'bench-iqqz-key',
    ),
    pixverse: seed(
      'pixverse',
      '/v2/pixverse/features/',
      { authorization: 'Bearer bench-useapi-token' },
      'bench-useapi-token',
    ),
    iqqzUsage: {
      path: '/v1/dashboard/billing/usage',
      body: JSON.stringify(firstExample('iqqz', '/v1/dashboard/billing/usage')),
    },
  };
}

/** Path (without the query) to body, for the seed server. */
export function bodiesByPath(seeds = loadSeeds()) {
  return Object.fromEntries(Object.values(seeds).map(({ path, body }) => [path, body]));
}
