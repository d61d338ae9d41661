import { defineConfig, type Options } from 'tsup';

import { packageBuild } from '../../tsup.shared.js';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * openapi-fetch ships a CommonJS build whose `createClient` is `exports.default` (with `__esModule`).
 * This package is `"type": "module"`, so when esbuild turns our ESM into CommonJS it imports that
 * build with Node's rules (`default` = the whole `module.exports`), and `createClient` stops being a
 * function: `require('@aicredits/core')` then fails on first use. So the CommonJS output bundles
 * openapi-fetch's ESM build instead (`noExternal`, about 6 kB), while the ESM output keeps
 * importing the installed package (this plugin). The declarations import its types either way.
 */
const openapiFetchExternalInEsm: EsbuildPlugin = {
  name: 'openapi-fetch-external-in-esm',
  setup(build) {
    if (build.initialOptions.format !== 'esm') return;
    build.onResolve({ filter: /^openapi-fetch$/ }, (args) => ({ path: args.path, external: true }));
  },
};

export default defineConfig({
  ...packageBuild,
  entry: ['src/index.ts', 'src/provider-utils.ts'],
  // Shared chunks in both formats: the error classes exist once, so an error thrown through
  // provider-utils' createApiClient is an instance of the class the main entry exports.
  splitting: true,
  noExternal: ['openapi-fetch'],
  esbuildPlugins: [openapiFetchExternalInEsm],
});
