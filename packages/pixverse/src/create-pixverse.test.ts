/**
 * PixVerse's own behaviour against the Prism mock of specs/pixverse.yaml (useapi.net): the email
 * query, account lists without their secrets, the plain-text 404. The shared provider contract
 * (pixverse-contract.test.ts) covers examples, errors, keys and requests.
 */
import { NotFoundError } from '@aicredits/core';
import { readProviderSpec, recordingFetch, rejectionOf } from '@aicredits/test-server';
import { useMockServer } from '@aicredits/test-server/mock';
import { describe, expect, it } from 'vitest';

import { createPixVerse, type PixVerseAccount, type PixVerseSettings } from './index.js';

const apiKey = 'useapi-contract-token-0001';
const getAccountsSpec = readProviderSpec('pixverse').operation('getAccounts');

const mockURL = useMockServer('pixverse');

function client(settings: PixVerseSettings = {}) {
  return createPixVerse({ apiKey, baseURL: mockURL(), ...settings });
}

describe('getFeatures with an email', () => {
  it('asks GET /v2/pixverse/features/?email=alice%40example.com', async () => {
    const { fetch, requests } = recordingFetch();
    await client({ fetch }).getFeatures({ email: 'alice@example.com' });
    expect(requests.map((request) => request.pathAndQuery)).toEqual([
      '/v2/pixverse/features/?email=alice%40example.com',
    ]);
  });

  it('labels the balance with the email', async () => {
    const balance = await client().getBalance({ email: 'alice@example.com' });
    expect(balance).toMatchObject({ provider: 'pixverse', plan: 'Pro Plan', account: 'alice@example.com' });
  });
});

describe('listAccounts', () => {
  it('decodes `twoAccounts` without the session tokens and passwords', async () => {
    const example = getAccountsSpec.response(200).namedExamples.find(([name]) => name === 'twoAccounts')?.[1] as Record<
      string,
      { password: string; jwt: { token: string } }
    >;
    const accounts: PixVerseAccount[] = await client().listAccounts({ headers: { Prefer: 'example=twoAccounts' } });
    expect(accounts.map((account) => account.email)).toEqual(['alice@example.com', 'bob@example.com']);
    const json = JSON.stringify(accounts);
    const secrets = Object.values(example).flatMap((account) => [account.jwt.token, account.password]);
    expect(secrets).toEqual(['abc…secured…cde', '…secured…', 'abc…secured…cde', '…secured…']);
    for (const value of secrets) expect(json).not.toContain(value);
    expect(json).not.toMatch(/token|password|secured/);
  });

  it('turns the documented plain-text 404 into a NotFoundError', async () => {
    expect(getAccountsSpec.response(404).contentTypes).toEqual(['application/json', 'text/plain']);
    const error = await rejectionOf(client().listAccounts({ headers: { Prefer: 'code=404', Accept: 'text/plain' } }));
    expect((error as object).constructor).toBe(NotFoundError);
    expect((error as NotFoundError).status).toBe(404);
    // The plain-text explanation is the provider's message, not masked: it holds no account secrets.
    expect((error as NotFoundError).message).toContain('Configuration not found');
    expect((error as NotFoundError).rawBody).toContain('Configuration not found');
    expect((error as NotFoundError).body).toBeUndefined();
  });
});
