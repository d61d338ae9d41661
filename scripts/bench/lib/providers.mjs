// The built-in providers as the benchmarks see them (scripts/built-in-providers.mjs: the facade's
// one list with each one's package and factory), the benchmarks' subject first, then the facade's
// order, so that no benchmark keeps a list of its own.
import { builtInProviderPackages } from '../../built-in-providers.mjs';
import { subjectId } from './subject.mjs';

const ordered = [...builtInProviderPackages].sort((a, b) => Number(b.id === subjectId) - Number(a.id === subjectId));
if (ordered[0]?.id !== subjectId) throw new Error(`the benchmarks' subject ${subjectId} is not a built-in provider`);

/** Every built-in provider, the subject first: `{ id, displayName, module, packageName, folder, factoryName, create }`. */
export const providers = ordered;

/** The provider the single-provider benchmarks measure. */
export const subject = providers[0];
