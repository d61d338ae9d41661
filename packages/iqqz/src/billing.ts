import type { components } from './generated/openapi.js';

/** The token's granted limits: the body of `GET /v1/dashboard/billing/subscription`. */
export type BillingSubscription = components['schemas']['BillingSubscription'];
/** The token's usage: the body of `GET /v1/dashboard/billing/usage`. */
export type BillingUsage = components['schemas']['BillingUsage'];
/** The `{ success, message, data }` of a one-api / new-api gateway's public `GET /api/status`. */
export type StatusEnvelope = components['schemas']['StatusEnvelope'];
/** The gateway's public display settings: `data` of `GET /api/status`. */
export type GatewayStatus = components['schemas']['GatewayStatus'];
