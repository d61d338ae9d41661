import { crowdComputedProvider } from '@aicredits/crowdcomputed';
import { imagineProProvider } from '@aicredits/imaginepro';
import { iqqzProvider } from '@aicredits/iqqz';
import { pixverseProvider } from '@aicredits/pixverse';

/**
 * The built-in providers: the one list of them. The facade, the CLI's config validation and
 * help, and the repository's tooling all loop over it; a new provider is one entry here.
 */
export const builtInProviders = [crowdComputedProvider, imagineProProvider, iqqzProvider, pixverseProvider] as const;

export type BuiltInProvider = (typeof builtInProviders)[number];

/**
 * The ids of the built-in providers, in the list's order: `provider` in an account config and
 * `--provider` on the command line.
 *
 * @example
 * ```ts
 * import { providerIds } from 'aicredits';
 *
 * console.log(providerIds); // ['crowdcomputed', 'imaginepro', 'iqqz', 'pixverse']
 * ```
 */
export const providerIds: BuiltInProvider['id'][] = builtInProviders.map((module) => module.id);

// Each provider package's user-facing names, re-exported by `aicredits`: one install is enough.
export {
  createCrowdComputed,
  type CrowdComputed,
  type CrowdComputedAccountConfig,
  crowdComputedProvider,
  type CrowdComputedSettings,
  type MemberInfo,
  memberInfoToBalance,
} from '@aicredits/crowdcomputed';
export {
  type AccountInfo,
  accountInfoToBalance,
  createImaginePro,
  type ImaginePro,
  type ImagineProAccountConfig,
  imagineProProvider,
  type ImagineProSettings,
} from '@aicredits/imaginepro';
export {
  type BillingSubscription,
  billingToBalance,
  type BillingUsage,
  createIqqz,
  type Iqqz,
  type IqqzAccountConfig,
  type IqqzBalanceOptions,
  iqqzProvider,
  type IqqzSettings,
} from '@aicredits/iqqz';
export {
  createPixVerse,
  type Features,
  featuresToBalance,
  type PixVerse,
  type PixVerseAccountConfig,
  pixverseProvider,
  type PixVerseSettings,
} from '@aicredits/pixverse';
