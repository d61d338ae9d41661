import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { isProviderModule, type ProviderModule } from '@aicredits/core';

import { ConfigError } from './config-error.js';

/**
 * The provider modules exported by each package (or file, relative to the config file) that the
 * config file's `providers` names: its default export and every named export that is one.
 */
export async function loadProviderModules(specifiers: readonly string[], configFile: string): Promise<ProviderModule[]> {
  const modules: ProviderModule[] = [];
  for (const [index, specifier] of specifiers.entries()) {
    const fail = (message: string): never => {
      throw new ConfigError(`${configFile}: providers[${index}]: ${message}`);
    };
    let exports: Record<string, unknown>;
    try {
      exports = (await import(pathToFileURL(resolveSpecifier(specifier, dirname(configFile))).href)) as Record<
        string,
        unknown
      >;
    } catch (error) {
      return fail(`cannot load ${JSON.stringify(specifier)}: ${(error as Error).message}`);
    }
    const found = [...new Set(Object.values(exports).filter(isProviderModule))];
    if (found.length === 0) {
      fail(`${JSON.stringify(specifier)} exports no provider module (see "Writing a provider" in @aicredits/core)`);
    }
    modules.push(...found);
  }
  return modules;
}

function resolveSpecifier(specifier: string, directory: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return resolve(directory, specifier);
  try {
    return createRequire(join(directory, 'aicredits.config.json')).resolve(specifier);
  } catch (error) {
    // `require.resolve` ignores an `import`-only export; look the package up by hand.
    return resolveImportExport(specifier, directory) ?? throwError(error);
  }
}

function resolveImportExport(name: string, directory: string): string | undefined {
  for (let current = directory; ; current = dirname(current)) {
    const packageDirectory = join(current, 'node_modules', name);
    if (existsSync(join(packageDirectory, 'package.json'))) {
      const manifest = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8')) as {
        exports?: unknown;
        module?: string;
        main?: string;
      };
      const entry = importTarget(manifest.exports) ?? manifest.module ?? manifest.main;
      return entry === undefined ? undefined : join(packageDirectory, entry);
    }
    if (dirname(current) === current) return undefined;
  }
}

function importTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (typeof exports !== 'object' || exports === null) return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return importTarget(map['.']);
  return importTarget(map['import'] ?? map['node'] ?? map['default']);
}

function throwError(error: unknown): never {
  throw error;
}
