import type { GatewayStatus } from './billing.js';

/**
 * The unit the billing endpoints report in, as the gateway's public status tells it, or
 * `undefined` when it does not. new-api's `quota_display_type` decides (`CUSTOM` still bills in
 * dollars); one-api has only `display_in_currency` (dollars, else raw quota). Sources in
 * specs/iqqz.yaml.
 */
export function displayUnitFromStatus(status: GatewayStatus | undefined): string | undefined {
  const type = status?.quota_display_type?.toUpperCase();
  if (type === 'CNY') return 'CNY';
  if (type === 'TOKENS') return 'tokens';
  if (type === 'USD' || type === 'CUSTOM') return 'USD';
  if (status?.display_in_currency === true) return 'USD';
  if (status?.display_in_currency === false) return 'tokens';
  return undefined;
}
