#!/usr/bin/env node
// Lints every spec listed under `apis` in redocly.yaml with @redocly/openapi-core (the
// `recommended` ruleset plus the per-api overrides configured there).
// Prints every problem and exits 1 if any error is found (warnings are printed but allowed).
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

import { formatProblems, getMergedConfig, getTotals, lint, loadConfig } from '@redocly/openapi-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const configPath = path.join(root, 'redocly.yaml');

const config = await loadConfig({ configPath });
const apis = Object.entries(config.apis);
if (apis.length === 0) {
  console.error(`lint-specs: no apis declared in ${path.relative(root, configPath)}`);
  process.exit(1);
}

let errors = 0;
let warnings = 0;
for (const [name, api] of apis) {
  const ref = path.resolve(path.dirname(configPath), api.root);
  const rel = path.relative(root, ref);
  let problems;
  try {
    problems = await lint({ ref, config: getMergedConfig(config, name) });
  } catch (error) {
    // Unparsable YAML or an unreadable file: report it as an error instead of crashing.
    errors += 1;
    console.error(`${name} (${rel}): cannot be linted: ${error instanceof Error ? error.message : String(error)}`);
    continue;
  }
  const totals = getTotals(problems);
  errors += totals.errors;
  warnings += totals.warnings;
  if (problems.length > 0) {
    formatProblems(problems, { format: 'codeframe', totals, version: 'lint-specs', color: process.stdout.isTTY });
  }
  console.log(`${name} (${rel}): ${totals.errors} error(s), ${totals.warnings} warning(s)`);
}

if (errors > 0) {
  console.error(`lint-specs: ${errors} error(s), ${warnings} warning(s) in ${apis.length} spec(s).`);
  process.exit(1);
}
console.log(`lint-specs: ${apis.length} spec(s) valid, ${warnings} warning(s).`);
