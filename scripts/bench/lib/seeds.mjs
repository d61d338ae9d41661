// The providers' own example bodies: each spec's first 200 example is the seed page's example
// verbatim (see specs/*.yaml), so the benchmarks need nothing outside the repository. The
// providers come from the facade's list (providers.mjs); each one's spec is specs/<id>.yaml.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { providers } from './providers.mjs';
import { repoRoot } from './repo-root.mjs';

export { repoRoot };

/** Every GET operation of `specs/<spec>.yaml` with a 200 JSON example: path, operationId and the first example. */
function specOperations(spec) {
  const document = parse(readFileSync(join(repoRoot, 'specs', `${spec}.yaml`), 'utf8'));
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) => {
    const media = item?.get?.responses?.['200']?.content?.['application/json'];
    const example = media?.example ?? Object.values(media?.examples ?? {})[0]?.value;
    return example === undefined ? [] : [{ path, operationId: item.get.operationId, body: JSON.stringify(example) }];
  });
}

/**
 * Per provider id (the benchmarks' subject first): the first operation of its spec (`path`,
 * `operationId`, the seed `body` as a compact JSON string), the auth `headers` its definition
 * sends for `apiKey`, and every operation with an example (`operations`, for the seed server).
 */
export function loadSeeds() {
  return Object.fromEntries(
    providers.map(({ id, module }) => {
      const operations = specOperations(id);
      if (operations.length === 0) throw new Error(`specs/${id}.yaml has no GET operation with a 200 example`);
      const apiKey = `bench-${id}-key`;
      const headers = Object.fromEntries(
        Object.entries(module.definition.authenticate(apiKey)).map(([name, value]) => [name.toLowerCase(), value]),
      );
      return [id, { ...operations[0], headers, apiKey, operations }];
    }),
  );
}

/** Path (without the query) to body, for the seed server: every operation of every spec. */
export function bodiesByPath(seeds = loadSeeds()) {
  return Object.fromEntries(
    Object.values(seeds).flatMap(({ operations }) => operations.map(({ path, body }) => [path, body])),
  );
}
