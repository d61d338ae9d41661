import type { AccountConfigOf } from '@aicredits/core';

import type { crowdComputedProvider } from './crowdcomputed-provider.js';

export { createCrowdComputed, type CrowdComputed, type CrowdComputedSettings } from './create-crowdcomputed.js';
export { crowdComputedDefinition } from './crowdcomputed-definition.js';
export { crowdComputedProvider } from './crowdcomputed-provider.js';
export type { MemberInfo, MemberInfoEnvelope } from './member-info.js';
/** A CrowdComputed account in an `aicredits` configuration. */
export type CrowdComputedAccountConfig = AccountConfigOf<typeof crowdComputedProvider>;
export { memberInfoToBalance } from './crowdcomputed-balance.js';
export type { components, operations, paths } from './generated/openapi.js';
// Everything of the core (error classes to catch, `Balance`, settings types), so that installing
// one provider is enough, also under strict package managers.
export * from '@aicredits/core';
