// The built-in providers as the benchmarks see them, from the facade's one list
// (`builtInProviders` of `aicredits`), so that no benchmark keeps a list of its own: each one's
// module, its package (the facade's dependency that exports the module) and the package's
// `create<Provider>` factory. The benchmarks' subject comes first, then the facade's order.
import { builtInProviders } from 'aicredits';

import { providerPackages } from './provider-packages.mjs';
import { subjectId } from './subject.mjs';

const packages = await Promise.all(
  providerPackages.map(async (name) => ({ name, exports: Object.entries(await import(name)) })),
);

function describe(module) {
  const owner = packages.find(({ exports }) => exports.some(([, value]) => value === module));
  if (owner === undefined) throw new Error(`no facade dependency exports the provider module ${module.id}`);
  const factories = owner.exports.filter(([name, value]) => /^create[A-Z]/.test(name) && typeof value === 'function');
  if (factories.length !== 1)
    throw new Error(`${owner.name}: expected one create<Provider> factory, got ${factories.length}`);
  const [[factoryName, create]] = factories;
  return { id: module.id, displayName: module.displayName, module, packageName: owner.name, factoryName, create };
}

const ordered = [...builtInProviders].sort((a, b) => Number(b.id === subjectId) - Number(a.id === subjectId));
if (ordered[0]?.id !== subjectId) throw new Error(`the benchmarks' subject ${subjectId} is not a built-in provider`);

/** Every built-in provider, the subject first: `{ id, displayName, module, packageName, factoryName, create }`. */
export const providers = ordered.map(describe);

/** The provider the single-provider benchmarks measure. */
export const subject = providers[0];
