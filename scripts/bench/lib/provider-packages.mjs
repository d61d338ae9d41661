// The built-in provider packages, read from the facade's dependencies (the facade's package.json
// is, with its providers.ts, the one place that lists them), so no benchmark keeps a list.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from './repo-root.mjs';

const readManifest = (folder) => JSON.parse(readFileSync(join(repoRoot, 'packages', folder, 'package.json'), 'utf8'));
const facade = readManifest('aicredits');
const folders = new Map(
  readdirSync(join(repoRoot, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => [readManifest(entry.name).name, entry.name]),
);

/** Package names, e.g. `@aicredits/iqqz`, in the facade's dependency order. */
export const providerPackages = Object.keys(facade.dependencies).filter((name) => name !== '@aicredits/core');

/** Their folders under packages/. */
export const providerFolders = providerPackages.map((name) => folders.get(name));
