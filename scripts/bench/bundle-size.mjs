// Bundle size: each package's root entry as an app bundles it (esbuild: bundle, minify, platform
// browser, ESM), minified and gzipped, next to openapi-fetch alone. Two entries per package:
// `export *` (everything the package exports) and a typical use (one factory, tree-shaken).
import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';

import { benchmarkMain } from './lib/child.mjs';
import { providers } from './lib/providers.mjs';
import { repoRoot } from './lib/repo-root.mjs';
import { round } from './lib/stats.mjs';

const packages = [
  {
    name: 'openapi-fetch',
    all: `export { default } from 'openapi-fetch'; export * from 'openapi-fetch';`,
    use: `import createClient from 'openapi-fetch'; export const client = createClient({ baseUrl: 'https://example.com' });`,
  },
  {
    name: '@aicredits/core',
    use: `import { createApiClient } from '@aicredits/core/provider-utils'; export const client = createApiClient({ id: 'x', defaultBaseURL: 'https://example.com', apiKeyEnvironmentVariable: 'X', authenticate: (key) => ({ authorization: key }) });`,
  },
  // Each provider package: its one factory, one balance.
  ...providers.map(({ packageName, factoryName }) => ({
    name: packageName,
    use: `import { ${factoryName} } from '${packageName}'; export const balance = () => ${factoryName}({ apiKey: 'k' }).getBalance();`,
  })),
  {
    name: 'aicredits',
    use: `import { createAccounts } from 'aicredits'; export const balances = (accounts) => createAccounts({ accounts }).balances();`,
  },
];

async function measure(contents) {
  const result = await build({
    stdin: { contents, resolveDir: repoRoot, sourcefile: 'entry.js', loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  // Bytes of the output by where they came from, for "where the size goes".
  const byPackage = {};
  for (const [input, { bytesInOutput }] of Object.entries(Object.values(result.metafile.outputs)[0].inputs)) {
    const owner =
      /packages\/(\w+)\/dist/.exec(input)?.[1] ??
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ??
      (input === 'entry.js' ? 'entry' : input);
    const key = input.includes('validators') ? `${owner} (validators)` : owner;
    byPackage[key] = (byPackage[key] ?? 0) + bytesInOutput;
  }
  return { minifiedBytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength, byPackage };
}

await benchmarkMain(async ({ log }) => {
  const rows = [];
  for (const entry of packages) {
    const all = await measure(entry.all ?? `export * from '${entry.name}';`);
    const use = await measure(entry.use);
    rows.push({
      package: entry.name,
      allExports: { minifiedBytes: all.minifiedBytes, gzipBytes: all.gzipBytes },
      typicalUse: { minifiedBytes: use.minifiedBytes, gzipBytes: use.gzipBytes },
      sources: all.byPackage,
    });
  }
  const baseline = rows[0];
  for (const row of rows) {
    row.allExports.vsOpenapiFetch = round(row.allExports.gzipBytes / baseline.allExports.gzipBytes, 3);
    row.typicalUse.vsOpenapiFetch = round(row.typicalUse.gzipBytes / baseline.typicalUse.gzipBytes, 3);
  }
  log(`bundles: ${rows.map((row) => `${row.package} ${row.allExports.gzipBytes} B gz`).join(', ')}`);
  return { bundler: 'esbuild (bundle, minify, platform browser, format esm, target es2022); gzip level 9', rows };
});
