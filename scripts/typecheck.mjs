#!/usr/bin/env node
// `npm run typecheck`: every workspace with a `typecheck` script, checked by one `tsc --build`.
// Each workspace's tsconfig.json is still its own program (its own options, files and errors, as
// `npm run typecheck` in that workspace checks it), but one tsc process parses and binds the files
// they share (TypeScript's lib files, @types/node, vitest's types, our built .d.ts files) once
// instead of once per workspace: about a third of the CPU time of eleven separate `tsc -p` runs.
// `--force`: always a full check, never an up-to-date verdict from an older .tsbuildinfo.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Workspace folders from the root package.json's `workspaces` (plain folders and `folder/*`). */
function workspaceFolders() {
  return readJson(path.join(root, 'package.json')).workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
}

const projects = workspaceFolders()
  .filter((folder) => existsSync(path.join(root, folder, 'package.json')))
  .filter((folder) => readJson(path.join(root, folder, 'package.json')).scripts?.typecheck !== undefined)
  .map((folder) => `${folder}/tsconfig.json`)
  .sort();

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
process.stdout.write(`tsc --build --force, ${projects.length} projects: ${projects.join(' ')}\n`);
const result = spawnSync(process.execPath, [tsc, '--build', '--force', ...projects], {
  cwd: root,
  stdio: 'inherit',
});
if (result.error) throw result.error;
process.exitCode = result.status ?? 1;
