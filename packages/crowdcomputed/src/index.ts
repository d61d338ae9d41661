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
