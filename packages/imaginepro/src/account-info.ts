import type { components } from './generated/openapi.js';

/** Plan and credits of the account: the body of `GET /api/v1/subscription/account-info`. */
export type AccountInfo = components['schemas']['AccountInfo'];
