import type { components } from './generated/openapi.js';

/** Plan, credits and feature flags of one PixVerse account: the body of `GET /v2/pixverse/features/`. */
export type Features = components['schemas']['Features'];
/** The PixVerse accounts of a useapi.net account, by email, with their session tokens. */
export type Accounts = components['schemas']['Accounts'];
