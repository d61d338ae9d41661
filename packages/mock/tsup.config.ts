import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { defineConfig } from 'tsup';

import { packageBuild } from '../../tsup.shared.js';

const packageDirectory = path.dirname(fileURLToPath(import.meta.url));
const repositorySpecsDirectory = path.resolve(packageDirectory, '../../specs');
const embeddedSpecsDirectory = path.resolve(packageDirectory, 'specs');

// The published package must carry its own copy of the specs: `../../specs` only exists in the
// monorepo. The copy is rebuilt from scratch so a spec deleted upstream cannot linger in it.
function embedSpecs(): void {
  rmSync(embeddedSpecsDirectory, { recursive: true, force: true });
  mkdirSync(embeddedSpecsDirectory, { recursive: true });
  const specFiles = existsSync(repositorySpecsDirectory)
    ? readdirSync(repositorySpecsDirectory).filter((name) => name.endsWith('.yaml'))
    : [];
  if (specFiles.length === 0) {
    console.warn(`[mock] no *.yaml in ${repositorySpecsDirectory}; the package will embed no specs`);
  }
  for (const name of specFiles) {
    cpSync(path.join(repositorySpecsDirectory, name), path.join(embeddedSpecsDirectory, name));
  }
}

export default defineConfig({
  ...packageBuild,
  // The embedded specs are located through import.meta.url, which the CJS build needs shimmed.
  shims: true,
  onSuccess: async () => embedSpecs(),
});
