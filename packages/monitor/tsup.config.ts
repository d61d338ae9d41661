import { defineConfig } from 'tsup';

import { packageBuild } from '../../tsup.shared.js';

// `aicredits serve` finds its dashboard files and uPlot through import.meta.url, which the CJS
// build needs shimmed.
export default defineConfig({
  ...packageBuild,
  // The HTTP thread of `aicredits serve` is started from its own file (create-serve.ts).
  entry: ['src/index.ts', 'src/serve-http-worker.ts'],
  shims: true,
});
