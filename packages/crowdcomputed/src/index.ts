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
// The core's main entry is its user-facing surface (error classes to catch, `Balance`, settings
// types), so installing one provider is enough, also under strict package managers; the
// provider-author API stays in `@aicredits/core/provider-utils`.
export * from '@aicredits/core';
