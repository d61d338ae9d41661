import { build } from 'esbuild';

import { packageChecksDirectory } from './workspace.js';

export type Platform = 'browser' | 'node';

/**
 * Bundles `source` the way an application's build would: esbuild, bundle, minify, ESM, packages
 * resolved through their exports maps from this workspace's node_modules (so `sideEffects: false`
 * and tree shaking apply), dependencies such as openapi-fetch included.
 */
export async function bundle(source: string, platform: Platform): Promise<{ code: Uint8Array; inputs: string[] }> {
  const result = await build({
    stdin: { contents: source, resolveDir: packageChecksDirectory, loader: 'js', sourcefile: 'app.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform,
    target: platform === 'node' ? 'node20' : 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]?.contents ?? new Uint8Array(), inputs: Object.keys(result.metafile.inputs) };
}
