export {
  createPixVerse,
  type Features,
  type PixVerseAccount,
  type GetFeaturesParameters,
  type PixVerse,
  type PixVerseSettings,
} from './create-pixverse.js';
export type { components, operations, paths } from './generated/openapi.js';
export { pixverseDefinition } from './pixverse-definition.js';
export { featuresToBalance } from './pixverse-balance.js';
// Everything of the core (error classes to catch, `Balance`, settings types), so that installing
// one provider is enough, also under strict package managers.
export * from '@aicredits/core';
