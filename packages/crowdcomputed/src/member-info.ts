import type { components } from './generated/openapi.js';

/** The member's points and plan: the `data` of `GET /api/v1/member/info`. */
export type MemberInfo = components['schemas']['MemberInfo'];
/** The `{ code, message, data }` envelope CrowdComputed wraps every answer in. */
export type MemberInfoEnvelope = components['schemas']['MemberInfoEnvelope'];
