// The built-in providers as the repository's scripts (the demos, the benchmarks) see them: the
// facade's one list (`builtInProviders` of `aicredits`), each with its package (the facade's
// dependency that exports the module), that package's folder and its `create<Provider>` factory.
// No script keeps a list of providers of its own.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

import { builtInProviders } from 'aicredits';

const require = createRequire(import.meta.url);
const facade = JSON.parse(readFileSync(require.resolve('aicredits/package.json'), 'utf8'));
const packages = await Promise.all(
  Object.keys(facade.dependencies).map(async (name) => ({ name, exports: Object.entries(await import(name)) })),
);

function describe(module) {
  const owner = packages.find(({ exports }) => exports.some(([, value]) => value === module));
  if (owner === undefined) throw new Error(`no dependency of aicredits exports the provider module ${module.id}`);
  const factories = owner.exports.filter(([name, value]) => /^create[A-Z]/.test(name) && typeof value === 'function');
  if (factories.length !== 1) {
    throw new Error(`${owner.name}: expected one create<Provider> factory, got ${factories.length}`);
  }
  const [[factoryName, create]] = factories;
  return {
    id: module.id,
    displayName: module.displayName,
    module,
    packageName: owner.name,
    folder: dirname(require.resolve(`${owner.name}/package.json`)),
    factoryName,
    create,
  };
}

/** Every built-in provider, in the facade's order: `{ id, displayName, module, packageName, folder, factoryName, create }`. */
export const builtInProviderPackages = builtInProviders.map(describe);
