import type { Options } from 'tsup';

/** How every published package builds: ESM and CommonJS, declarations for both, source maps. */
export const packageBuild = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
} satisfies Options;
