export {
  createCrowdComputed,
  type CrowdComputed,
  type CrowdComputedSettings,
  type MemberInfo,
  type MemberInfoEnvelope,
} from './create-crowdcomputed.js';
export { crowdComputedDefinition } from './crowdcomputed-definition.js';
export type { components, operations, paths } from './generated/openapi.js';
export { memberInfoToBalance } from './crowdcomputed-balance.js';
// Everything of the core (error classes to catch, `Balance`, settings types), so that installing
// one provider is enough, also under strict package managers.
export * from '@aicredits/core';
