/**
 * The mock's QA scenarios against the real client: a scripted retry sequence is ridden out by the
 * core's retries (waits recorded by an injected clock, none slept), faults become typed errors, and
 * draining credits show as a falling balance.
 */
import { InvalidResponseError, RateLimitError, ServerError } from '@aicredits/core';
import { withClock } from '@aicredits/core/provider-utils';
import { type MockServers, startMockServers } from '@aicredits/mock';
import { expectNoSecret, recordingClock, rejectionOf } from '@aicredits/test-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createIqqz, type IqqzSettings } from './index.js';

const secret = 'sk-live-MOCKQA-0123456789';
let servers: MockServers<'iqqz'>;
let waits: number[];

beforeAll(async () => {
  servers = await startMockServers({
    providers: ['iqqz'],
    scenarios: { iqqz: 'rate-limited,unavailable,default' },
    drain: { iqqz: { amount: 0.5 } },
  });
});
afterAll(async () => {
  await servers?.close();
});
afterEach(() => {
  servers.setScenario('iqqz', 'default');
  servers.reset();
  servers.clearJournal();
});

function client(settings: IqqzSettings = {}) {
  const recording = recordingClock();
  waits = recording.waits;
  return createIqqz(withClock({ apiKey: secret, baseURL: servers.urls.iqqz, ...settings }, recording.clock));
}

describe('iqqz against the mock’s QA scenarios', () => {
  it('rides out 429 (Retry-After: 1) then 503 with its retries, and returns the subscription', async () => {
    servers.setScenario('iqqz', 'rate-limited,unavailable,default');
    const subscription = await client().getSubscription();
    expect(subscription.hard_limit_usd).toBe(5);
    expect(servers.journal('iqqz').map((entry) => entry.status)).toEqual([429, 503, 200]);
    // The first wait is the server's Retry-After; the second the client's own backoff.
    expect(waits[0]).toBe(1000);
    expect(waits).toHaveLength(2);
  });

  it('gives up with a RateLimitError carrying retryAfterMs when the sequence outlasts maxRetries', async () => {
    servers.setScenario('iqqz', { status: 429, headers: { 'retry-after': '3' } });
    const error = await rejectionOf(client({ maxRetries: 1 }).getSubscription());
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(3000);
    expect(servers.journal('iqqz')).toHaveLength(2);
    expectNoSecret(error, secret);
  });

  it('turns the HTML error page into a ServerError and invalid JSON into an InvalidResponseError', async () => {
    servers.setScenario('iqqz', 'html-error-page');
    expect(await rejectionOf(client({ maxRetries: 0 }).getSubscription())).toBeInstanceOf(ServerError);
    servers.setScenario('iqqz', 'invalid-json');
    const invalid = await rejectionOf(client({ maxRetries: 0 }).getSubscription());
    expect(invalid).toBeInstanceOf(InvalidResponseError);
    expectNoSecret(invalid, secret);
  });

  it('shows draining credits as a falling balance, and a reset refills them', async () => {
    const iqqz = client();
    const remaining = async () => (await iqqz.getBalance()).remaining;
    expect(await remaining()).toBe(2.5);
    expect(await remaining()).toBe(2);
    expect(await remaining()).toBe(1.5);
    servers.reset('iqqz');
    expect(await remaining()).toBe(2.5);
    expect(JSON.stringify(servers.journal('iqqz'))).not.toContain(secret);
  });
});
