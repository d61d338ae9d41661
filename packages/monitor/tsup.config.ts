import { defineConfig } from 'tsup';

import { packageBuild } from '../../tsup.shared.js';

// `aicredits serve` finds its dashboard files and uPlot through import.meta.url, which the CJS
// build needs shimmed.
export default defineConfig({ ...packageBuild, shims: true });
