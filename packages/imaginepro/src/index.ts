export { createImaginePro, type AccountInfo, type ImaginePro, type ImagineProSettings } from './create-imaginepro.js';
export type { components, operations, paths } from './generated/openapi.js';
export { imagineProDefinition } from './imaginepro-definition.js';
export { accountInfoToBalance } from './imaginepro-balance.js';
