import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { type ProviderModule } from '@aicredits/core';
import { isProviderModule } from '@aicredits/core/provider-utils';

import { ConfigError } from './config-error.js';

/**
 * The provider modules exported by each package (or file, relative to the config file) that the
 * config file's `providers` names: its default export and every named export that is one.
 *
 * A path (`./`, `../` or absolute) is a file or a package directory, relative to the config file.
 * A package name is looked up from the config file's directory upwards (a project's
 * `node_modules`), then beside the CLI itself (a global install next to `aicredits`).
 */
export async function loadProviderModules(
  specifiers: readonly string[],
  configFile: string,
): Promise<ProviderModule[]> {
  const modules: ProviderModule[] = [];
  for (const [index, specifier] of specifiers.entries()) {
    const fail = (message: string): never => {
      throw new ConfigError(`${configFile}: providers[${index}]: ${message}`);
    };
    const exports = await importProvider(specifier, dirname(configFile), fail);
    const found = [...new Set(Object.values(exports).filter(isProviderModule))];
    if (found.length === 0) {
      fail(
        `${JSON.stringify(specifier)} exports no provider module (an object made by defineProvider of @aicredits/core/provider-utils, with id, displayName, definition, accountFields and checks); see "Writing a provider" in @aicredits/core`,
      );
    }
    modules.push(...found);
  }
  return modules;
}

async function importProvider(
  specifier: string,
  directory: string,
  fail: (message: string) => never,
): Promise<Record<string, unknown>> {
  const isPath = specifier.startsWith('./') || specifier.startsWith('../') || isAbsolute(specifier);
  let target: string;
  if (isPath) {
    const path = resolve(directory, specifier);
    if (!existsSync(path)) return fail(`${JSON.stringify(specifier)}: no such file or directory ${path}`);
    target = pathToFileURL(statSync(path).isDirectory() ? packageEntry(path, fail) : path).href;
  } else {
    const found = resolvePackage(specifier, directory, fail);
    // Not found from the config file: as the CLI itself would import it (a package beside aicredits).
    target = found === undefined ? specifier : pathToFileURL(found).href;
  }
  try {
    return (await import(target)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' && messageOf(error).includes(`'${specifier}'`);
    if (target === specifier && (missing || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED')) {
      return fail(
        `cannot find the package ${JSON.stringify(specifier)} from ${directory} or beside aicredits: install it in the project that holds the config file, or give a path starting with ./`,
      );
    }
    return fail(`cannot load ${JSON.stringify(specifier)}: ${messageOf(error)}`);
  }
}

/** The file a package name (or `name/subpath`) imports, from `directory` upwards; `undefined` if not installed there. */
function resolvePackage(specifier: string, directory: string, fail: (message: string) => never): string | undefined {
  const [scopeOrName = '', ...rest] = specifier.split('/');
  const nameLength = scopeOrName.startsWith('@') ? 2 : 1;
  const name = [scopeOrName, ...rest].slice(0, nameLength).join('/');
  for (let current = directory; ; current = dirname(current)) {
    const packageDirectory = join(current, 'node_modules', name);
    if (existsSync(join(packageDirectory, 'package.json'))) {
      if (rest.length >= nameLength) {
        // A subpath: Node's own resolution (CommonJS conditions) knows every export map form.
        try {
          return createRequire(join(directory, 'aicredits.config.json')).resolve(specifier);
        } catch (error) {
          return fail(`cannot load ${JSON.stringify(specifier)}: ${messageOf(error)}`);
        }
      }
      return packageEntry(packageDirectory, fail);
    }
    if (dirname(current) === current) return undefined;
  }
}

/** The file `import` of a package directory loads: its `exports` import target, else `module`, else `main`. */
function packageEntry(packageDirectory: string, fail: (message: string) => never): string {
  let manifest: { exports?: unknown; module?: unknown; main?: unknown };
  try {
    manifest = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8')) as typeof manifest;
  } catch (error) {
    return fail(`cannot read ${join(packageDirectory, 'package.json')}: ${messageOf(error)}`);
  }
  const entry = [importTarget(manifest.exports), manifest.module, manifest.main, 'index.js'].find(
    (candidate): candidate is string => typeof candidate === 'string',
  );
  return join(packageDirectory, entry ?? 'index.js');
}

function importTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return importTarget(map['.']);
  return importTarget(map['import'] ?? map['node'] ?? map['default']);
}

/** A module may throw anything at all while it loads, not only an `Error`. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
