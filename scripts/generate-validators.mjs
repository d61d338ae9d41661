#!/usr/bin/env node
// Generates runtime validators from the hand-written OpenAPI 3.1 specs.
//
// For every api listed in redocly.yaml (the same list openapi-typescript uses), this script emits,
// next to that api's `x-openapi-ts.output`:
//   validators.js    standalone Ajv (JSON Schema 2020-12) code, ESM, one export per operation,
//                    validating the operation's HTTP 200 `application/json` response body;
//   validators.d.ts  the matching declarations.
// The emitted code must not import or require anything (no Ajv runtime): generation fails if it
// does. Formats are documentation only (`validateFormats: false`).
// After writing, a sanity run checks every validator against the spec's own 200 examples, against
// a body with a wrong type, and against a body with an unknown extra field.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { loadConfig, parseYaml } from '@redocly/openapi-core';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const configPath = path.join(root, 'redocly.yaml');
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const COMPONENT_REF = /^#\/components\/schemas\/[^/]+$/;

function fail(message) {
  console.error(`generate-validators: ${message}`);
  process.exit(1);
}

function toPosix(p) {
  return p.split(path.sep).join('/');
}

// Annotation-only keywords: they never change the validation result, so they are dropped to keep
// the emitted code small (Ajv inlines schema objects as constants). `format` is annotation-only here
// because formats are not validated.
const ANNOTATIONS = new Set([
  'title',
  'description',
  'example',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'externalDocs',
  'xml',
  'discriminator',
  'format',
  '$comment',
]);
const SUBSCHEMA = new Set([
  'items',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'contentSchema',
]);
const SUBSCHEMA_ARRAY = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SUBSCHEMA_MAP = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);

/**
 * Deep-clones a schema, walking only schema positions (so a property named `description` is kept):
 * drops annotation keywords and `x-` extensions, and rewrites local component refs to absolute refs
 * under `base`.
 */
function prepareSchema(schema, base, where) {
  if (typeof schema === 'boolean') return schema;
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) fail(`${where}: not a schema`);
  const out = {};
  for (const key of Object.keys(schema)) {
    const value = schema[key];
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref') {
      if (typeof value !== 'string' || !COMPONENT_REF.test(value)) {
        fail(`${where}: unsupported $ref ${JSON.stringify(value)} (only #/components/schemas/<name>)`);
      }
      out[key] = `${base}${value}`;
    } else if (SUBSCHEMA.has(key)) {
      out[key] = prepareSchema(value, base, `${where}/${key}`);
    } else if (BRANCHING.has(key)) {
      const occurrence = ++branchOccurrences;
      out[key] = value.flatMap((item, i) => [
        branchMarker(item, occurrence, i),
        prepareSchema(item, base, `${where}/${key}/${i}`),
      ]);
    } else if (SUBSCHEMA_ARRAY.has(key)) {
      out[key] = value.map((item, i) => prepareSchema(item, base, `${where}/${key}/${i}`));
    } else if (SUBSCHEMA_MAP.has(key)) {
      out[key] = prepareSchemaMap(value, base, `${where}/${key}`);
    } else {
      out[key] = structuredClone(value);
    }
  }
  return out;
}

// Under `anyOf`/`oneOf` Ajv reports every branch's errors one after the other, and errors from a
// `$ref`'d branch do not say which branch they came from. So a marker goes before each branch: a
// schema that always fails (`not: {}`, so no branch count or result changes) and whose `const`
// error carries `aicredits-branch:<occurrence>:<index>:<name>:<property,...>`. The runtime
// (packages/core/src/validation.ts) splits the errors at the markers and names the branch that
// nearly matched, judged by the properties a body shares with it.
const BRANCHING = new Set(['anyOf', 'oneOf']);
const branchMarkerPrefix = 'aicredits-branch:';
let componentSchemas = {};
let branchOccurrences = 0;

function branchMarker(branch, occurrence, index) {
  let resolved = branch;
  let name = typeof branch?.title === 'string' ? branch.title : undefined;
  for (let hops = 0; typeof resolved?.$ref === 'string' && hops < 10; hops++) {
    const component = resolved.$ref.replace(/^#\/components\/schemas\//, '');
    name ??= component;
    resolved = componentSchemas[component];
  }
  const type = Array.isArray(resolved?.type) ? resolved.type.join('|') : resolved?.type;
  name ??= typeof resolved?.title === 'string' ? resolved.title : (type ?? `branch ${index}`);
  const properties = Object.keys(resolved?.properties ?? {});
  const encode = (text) => encodeURIComponent(text);
  return {
    const: `${branchMarkerPrefix}${occurrence}:${index}:${encode(name)}:${properties.map(encode).join(',')}`,
    not: {},
  };
}

function prepareSchemaMap(map, base, where) {
  return Object.fromEntries(
    Object.entries(map).map(([name, schema]) => [name, prepareSchema(schema, base, `${where}/${name}`)]),
  );
}

/** Lists `{ operationId, method, path, schema, examples }` for every operation, sorted by operationId. */
function collectOperations(spec, specRel) {
  const operations = [];
  for (const [urlPath, pathItem] of Object.entries(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem?.[method];
      if (!operation) continue;
      const where = `${specRel} ${method.toUpperCase()} ${urlPath}`;
      const { operationId } = operation;
      if (typeof operationId !== 'string' || !/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(operationId)) {
        fail(`${where}: operationId ${JSON.stringify(operationId)} is not a valid JavaScript identifier`);
      }
      const media = operation.responses?.['200']?.content?.['application/json'];
      if (!media?.schema) fail(`${where}: no 200 application/json response schema`);
      const examples = [];
      if (media.example !== undefined) examples.push(['example', media.example]);
      for (const [name, example] of Object.entries(media.examples ?? {})) {
        if (example && 'value' in example) examples.push([name, example.value]);
      }
      if (examples.length === 0) fail(`${where}: the 200 response has no example to sanity-check against`);
      operations.push({ operationId, method, path: urlPath, schema: media.schema, examples });
    }
  }
  if (operations.length === 0) fail(`${specRel}: no operations`);
  const ids = operations.map((op) => op.operationId);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) fail(`${specRel}: duplicate operationId ${duplicate}`);
  return operations.sort((a, b) => (a.operationId < b.operationId ? -1 : a.operationId > b.operationId ? 1 : 0));
}

function generate(name, specRel) {
  const spec = parseYaml(readFileSync(path.join(root, specRel), 'utf8'));
  if (typeof spec?.openapi !== 'string' || !spec.openapi.startsWith('3.1.')) {
    fail(`${specRel}: expected openapi 3.1.x (JSON Schema 2020-12), got ${JSON.stringify(spec?.openapi)}`);
  }
  const base = `https://aicredits.invalid/${toPosix(specRel)}`;
  componentSchemas = spec.components?.schemas ?? {};
  branchOccurrences = 0;
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    validateFormats: false,
    code: { source: true, esm: true, lines: true },
  });
  ajv.addSchema({
    $id: base,
    components: { schemas: prepareSchemaMap(spec.components?.schemas ?? {}, base, `${specRel}#/components/schemas`) },
  });
  const operations = collectOperations(spec, specRel);
  const exportsMap = {};
  for (const op of operations) {
    const id = `${base}/operations/${op.operationId}/responses/200`;
    const schema = prepareSchema(op.schema, base, `${specRel} ${op.operationId} 200 schema`);
    ajv.addSchema({ ...schema, $id: id });
    exportsMap[op.operationId] = id;
  }
  let code;
  try {
    code = standaloneCode(ajv, exportsMap);
  } catch (error) {
    fail(`${specRel}: Ajv could not compile the schemas: ${error instanceof Error ? error.message : String(error)}`);
  }
  const forbidden = code.match(/\brequire\s*\(|(?:^|[;\s])import\s*[\s{*("'`]|\bimport\s*\(/m);
  if (forbidden) {
    fail(
      `${specRel}: the generated validator code needs a runtime helper (${JSON.stringify(forbidden[0].trim())}). ` +
        'Avoid keywords that need Ajv runtime helpers (e.g. minLength/maxLength, uniqueItems, non-primitive enum/const).',
    );
  }
  const header = `// This file is generated by scripts/generate-validators.mjs from ${toPosix(specRel)}. Do not edit.\n`;
  const js = `${header}${code.trim()}\n`;
  const dts = [
    header.trimEnd(),
    'export interface ValidationIssue { instancePath: string; message?: string; keyword: string; params: Record<string, unknown> }',
    'export interface Validator { (data: unknown): boolean; errors?: ValidationIssue[] | null }',
    ...operations.flatMap((op) => [
      `/** Validates the HTTP 200 application/json body of \`${op.method.toUpperCase()} ${op.path}\` (operationId \`${op.operationId}\`). */`,
      `export declare const ${op.operationId}: Validator;`,
    ]),
    '',
  ].join('\n');
  return { name, specRel, operations, js, dts };
}

/** Path (as keys) of the first number found in a JSON value, depth-first, preferring `totalPoints`. */
function firstNumberPath(value, trail = []) {
  if (value === null || typeof value !== 'object') return typeof value === 'number' ? trail : null;
  const keys = Object.keys(value);
  if (!Array.isArray(value) && keys.includes('totalPoints') && typeof value.totalPoints === 'number') {
    return [...trail, 'totalPoints'];
  }
  for (const key of keys) {
    const found = firstNumberPath(value[key], [...trail, key]);
    if (found) return found;
  }
  return null;
}

function withValueAt(value, keys, replacement) {
  const copy = structuredClone(value);
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key];
  node[keys.at(-1)] = replacement;
  return copy;
}

function withUnknownFields(value) {
  const copy = structuredClone(value);
  const visit = (node) => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
    for (const child of Object.values(node)) visit(child);
    node.__unknown_future_field__ = { nested: [1, 'two', null] };
  };
  visit(copy);
  return copy;
}

async function sanityCheck(result, jsFile) {
  const validators = await import(`${pathToFileURL(jsFile).href}?sanity=${process.pid}`);
  const problems = [];
  for (const op of result.operations) {
    const validate = validators[op.operationId];
    if (typeof validate !== 'function') {
      problems.push(`${op.operationId}: not exported`);
      continue;
    }
    let wrongTypeChecked = false;
    for (const [exampleName, example] of op.examples) {
      const label = `${op.operationId} (example ${exampleName})`;
      if (!validate(example)) problems.push(`${label}: rejected: ${JSON.stringify(validate.errors)}`);
      if (!validate(withUnknownFields(example))) {
        problems.push(`${label} + unknown fields: rejected: ${JSON.stringify(validate.errors)}`);
      }
      const numberPath = firstNumberPath(example);
      if (numberPath && !wrongTypeChecked) {
        wrongTypeChecked = true;
        const bad = withValueAt(example, numberPath, 'x');
        const pointer = `/${numberPath.join('/')}`;
        if (validate(bad)) {
          problems.push(`${label} with ${pointer} = "x": accepted`);
        } else if (!validate.errors?.some((e) => e.instancePath === pointer)) {
          problems.push(
            `${label} with ${pointer} = "x": no error at instancePath ${pointer}: ${JSON.stringify(validate.errors)}`,
          );
        }
      }
    }
    if (!wrongTypeChecked)
      problems.push(`${op.operationId}: no numeric field in the examples to run the wrong-type check`);
    for (const notAnObject of [null, 'text', 42, []]) {
      if (validate(notAnObject)) problems.push(`${op.operationId}: accepted ${JSON.stringify(notAnObject)}`);
    }
  }
  return problems;
}

const config = await loadConfig({ configPath });
const apis = Object.entries(config.apis);
if (apis.length === 0) fail(`no apis declared in ${path.relative(root, configPath)}`);

let failed = false;
for (const [name, api] of apis) {
  const specRel = path.relative(root, path.resolve(path.dirname(configPath), api.root));
  const output = api['x-openapi-ts']?.output;
  if (typeof output !== 'string') fail(`api ${name} has no x-openapi-ts.output in redocly.yaml`);
  const outDir = path.dirname(path.resolve(path.dirname(configPath), output));
  const result = generate(name, specRel);
  mkdirSync(outDir, { recursive: true });
  const jsFile = path.join(outDir, 'validators.js');
  writeFileSync(jsFile, result.js);
  writeFileSync(path.join(outDir, 'validators.d.ts'), result.dts);
  const problems = await sanityCheck(result, jsFile);
  const rel = toPosix(path.relative(root, outDir));
  if (problems.length > 0) {
    failed = true;
    console.error(`✘ ${name}: sanity check failed for ${rel}/validators.js:\n  - ${problems.join('\n  - ')}`);
  } else {
    console.log(
      `✔ ${name} → ${rel}/validators.{js,d.ts} (${result.operations.map((op) => op.operationId).join(', ')})`,
    );
  }
}
if (failed) process.exit(1);
