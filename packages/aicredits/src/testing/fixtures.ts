/**
 * Test-only helpers for the facade and CLI tests: closed ports, `Prefer` headers for the mock's
 * named examples, and valid provider bodies for scripted test servers. Not part of the build (tsup
 * bundles only `src/index.ts` and `src/cli/main.ts`).
 */
import { startTestServer } from '@aicredits/test-server';

/** `Prefer: example=<name>` makes the Prism mock answer one of the spec's named examples. */
export const example = (name: string): Record<string, string> => ({ Prefer: `example=${name}` });

/** A loopback base URL nothing listens on: a test server's, right after it was closed. */
export async function closedPortURL(): Promise<string> {
  const server = await startTestServer();
  await server.close();
  return server.url;
}

/** The secrets in the mock's PixVerse `twoAccounts` example; no output may contain them. */
export const pixverseAccountSecrets = ['abc…secured…cde', '…secured…', 'secured'];

/** ImaginePro's documented account info, valid against the spec. */
export const imagineProAccountInfo = {
  type: 'STARTER',
  creditsQuota: 1600,
  credits: 1240,
  creditsExtra: 0,
  expiredAt: '2030-02-07T14:30:00.000Z',
  email: 'alice@example.com',
};

/** A limited iqqz token (5 units) and 250 cents of usage. */
export const iqqzSubscription = {
  object: 'billing_subscription',
  has_payment_method: true,
  soft_limit_usd: 5,
  hard_limit_usd: 5,
  system_hard_limit_usd: 5,
  access_until: 0,
};
export const iqqzUsage = { object: 'list', total_usage: 250 };

/** The `needles` that occur in `haystack`; `expect(findLeaks(...)).toEqual([])` names any leak. */
export function findLeaks(haystack: string, needles: readonly string[]): string[] {
  return needles.filter((needle) => needle !== '' && haystack.includes(needle));
}
