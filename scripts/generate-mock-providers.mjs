#!/usr/bin/env node
// Generates packages/mock/src/generated/mock-providers.ts from the `x-aicredits-mock` block of
// every spec in specs/ (the specs the mock embeds): the provider ids in port order (each spec's
// `port-offset`, which must run 0, 1, 2, … with none missing or shared) and each provider's drain
// rule. Fails on an unknown key, a drain path the spec does not have, or a drained field that is
// not a number in that path's first 200 example, so a spec cannot silently drain nothing.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const specsDirectory = path.join(root, 'specs');
const output = path.join(root, 'packages/mock/src/generated/mock-providers.ts');

function fail(message) {
  console.error(`generate-mock-providers: ${message}`);
  process.exit(1);
}

function onlyKeys(value, allowed, where) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where} must be a mapping`);
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) fail(`${where}: unknown key(s) ${unknown.join(', ')}; expected ${allowed.join(', ')}`);
  return value;
}

const isName = (value) => typeof value === 'string' && /^[A-Za-z_][\w.]*$/.test(value);
const at = (body, dotted) =>
  dotted.split('.').reduce((value, key) => (value === null ? undefined : value?.[key]), body);

function firstExample(document, route) {
  const media = document.paths?.[route]?.get?.responses?.['200']?.content?.['application/json'];
  return media?.example ?? Object.values(media?.examples ?? {})[0]?.value;
}

function readDrain(document, drain, where) {
  onlyKeys(drain, ['path', 'spend', 'grow'], where);
  if (document.paths?.[drain.path]?.get === undefined) fail(`${where}.path: the spec has no GET ${drain.path}`);
  if ((drain.spend === undefined) === (drain.grow === undefined)) fail(`${where}: give exactly one of spend, grow`);
  const example = firstExample(document, drain.path);
  const numeric = (route, field, key) => {
    if (!isName(field)) fail(`${key}: a field name (dots for nested fields), got ${JSON.stringify(field)}`);
    const value = at(firstExample(document, route), field);
    if (typeof value !== 'number') fail(`${key}: ${field} is not a number in the first 200 example of GET ${route}`);
    return field;
  };
  if (drain.spend !== undefined) {
    if (!Array.isArray(drain.spend) || drain.spend.length === 0) fail(`${where}.spend must be a non-empty list`);
    if (example === undefined) fail(`${where}: GET ${drain.path} has no 200 example`);
    const spend = drain.spend.map((entry, index) => {
      const key = `${where}.spend[${index}]`;
      onlyKeys(entry, ['field', 'counted-in'], key);
      const countedIn = entry['counted-in'] ?? [];
      if (!Array.isArray(countedIn)) fail(`${key}.counted-in must be a list`);
      return {
        field: numeric(drain.path, entry.field, `${key}.field`),
        ...(countedIn.length > 0
          ? { countedIn: countedIn.map((field) => numeric(drain.path, field, `${key}.counted-in`)) }
          : {}),
      };
    });
    return { path: drain.path, spend };
  }
  const grow = onlyKeys(drain.grow, ['field', 'per-credit', 'limit'], `${where}.grow`);
  const perCredit = grow['per-credit'] ?? 1;
  if (typeof perCredit !== 'number' || !(perCredit > 0)) fail(`${where}.grow.per-credit must be a positive number`);
  let limit;
  if (grow.limit !== undefined) {
    onlyKeys(grow.limit, ['path', 'field'], `${where}.grow.limit`);
    if (document.paths?.[grow.limit.path]?.get === undefined)
      fail(`${where}.grow.limit.path: no GET ${grow.limit.path}`);
    limit = { path: grow.limit.path, field: numeric(grow.limit.path, grow.limit.field, `${where}.grow.limit.field`) };
  }
  return {
    path: drain.path,
    grow: { field: numeric(drain.path, grow.field, `${where}.grow.field`), perCredit, ...(limit ? { limit } : {}) },
  };
}

const providers = readdirSync(specsDirectory)
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => {
    const id = name.slice(0, -'.yaml'.length);
    const document = parse(readFileSync(path.join(specsDirectory, name), 'utf8'));
    const where = `specs/${name} x-aicredits-mock`;
    const block = document['x-aicredits-mock'];
    if (block === undefined) fail(`specs/${name} has no x-aicredits-mock block (port-offset and drain)`);
    onlyKeys(block, ['port-offset', 'drain'], where);
    const offset = block['port-offset'];
    if (!Number.isInteger(offset) || offset < 0) fail(`${where}.port-offset must be a whole number ≥ 0`);
    if (block.drain === undefined) fail(`${where}: no drain`);
    return { id, offset, drain: readDrain(document, block.drain, `${where}.drain`) };
  })
  .sort((a, b) => a.offset - b.offset);

providers.forEach(({ id, offset }, index) => {
  if (offset !== index) {
    fail(`port offsets must run 0, 1, 2, … without gaps or repeats: ${id} has ${offset} where ${index} was expected`);
  }
});

const ids = providers.map(({ id }) => id);
const rules = Object.fromEntries(providers.map(({ id, drain }) => [id, drain]));
const text = `// Generated by scripts/generate-mock-providers.mjs from the x-aicredits-mock block of each spec in
// specs/ (\`npm run generate\`). Do not edit: change the specs and regenerate.
import type { DrainRule } from '../drain-rule.js';

/** A provider the mock serves: one per spec in specs/. */
export type MockProviderId = ${ids.map((id) => JSON.stringify(id)).join(' | ')};

/**
 * The providers the mock serves, in port order: the bin gives each one its \`--port\` plus its
 * position here (its spec's \`port-offset\`), so the order never changes.
 */
export const mockProviderIds: readonly MockProviderId[] = Object.freeze(${JSON.stringify(ids)});

/** Where each provider's credits run down (each spec's \`drain\`). */
export const generatedDrainRules: Readonly<Record<MockProviderId, DrainRule>> = ${JSON.stringify(rules, null, 2)};
`;
mkdirSync(path.dirname(output), { recursive: true });
writeFileSync(output, text);
console.log(`generate-mock-providers: ${path.relative(root, output)} (${ids.join(', ')})`);
