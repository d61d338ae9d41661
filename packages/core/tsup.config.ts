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

/**
 * The transport imports `./default-send.js` (the Node transport, in the source and the tests); the
 * build leaves it as `#default-send` instead, which package.json's `imports` resolve per runtime:
 * the Node file under the `node` condition, default-send-web.js everywhere else. A condition, not a
 * check at run time, so a browser bundle never contains `node:http` or the Node transport's code
 * (package-checks' browser test fails the build on a `node:` import). `deno` and `bun` come before
 * `node`, which Bun matches too: Bun's `fetch` is its own, not undici, and its `node:http` client
 * costs more CPU per request than that `fetch` (1.3-1.5× over loopback, Bun 1.4.5), so the Node
 * transport would only add work there.
 */
const defaultSendByCondition: EsbuildPlugin = {
  name: 'default-send-by-condition',
  setup(build) {
    build.onResolve({ filter: /^\.\/default-send\.js$/ }, (args) =>
      args.importer.endsWith('transport.ts') ? { path: '#default-send', external: true } : undefined,
    );
  },
};

export default defineConfig({
  ...packageBuild,
  entry: {
    index: 'src/index.ts',
    'provider-utils': 'src/provider-utils.ts',
    'default-send-node': 'src/default-send.ts',
    'default-send-web': 'src/default-send-web.ts',
  },
  // Shared chunks in both formats: the error classes exist once, so an error thrown through
  // provider-utils' createApiClient is an instance of the class the main entry exports.
  splitting: true,
  noExternal: ['openapi-fetch'],
  // The Node transport's `node:http`, `node:stream`, … stay `node:` imports: a bare `stream` can be
  // taken for a package or a file by a bundler or vite (a provider's tests resolved it to a path).
  removeNodeProtocol: false,
  esbuildPlugins: [openapiFetchExternalInEsm, defaultSendByCondition],
});
