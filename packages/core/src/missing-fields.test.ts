/**
 * An answer that lacks required fields nobody reads (a gateway without `has_payment_method`) is
 * used, and `read` names what it lacked; one that lacks a field the reader needs, or is wrong in any
 * other way, stays an invalid response. Against a real local server.
 */
import { startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { InvalidResponseError, type ValidationIssue } from './index.js';
import { createBalance, type Operation, type Validator } from './provider-utils.js';
import { createTestClient, rejectionOf, secret } from './testing/test-provider.js';

interface Account {
  balance: number;
  currency: string;
  owner: string;
  wallets?: Record<string, { id: string }>;
}

/** Reports every problem at once, as the generated (Ajv `allErrors`) validators do. */
const validateAccount: Validator = (data) => {
  const issues: ValidationIssue[] = [];
  const required = (instancePath: string, value: Record<string, unknown>, names: string[]) => {
    for (const name of names) {
      if (!(name in value)) issues.push({ instancePath, keyword: 'required', params: { missingProperty: name } });
    }
  };
  const body = data as Record<string, unknown>;
  required('', body, ['balance', 'currency', 'owner']);
  if ('balance' in body && typeof body['balance'] !== 'number') {
    issues.push({ instancePath: '/balance', keyword: 'type', params: { type: 'number' } });
  }
  const wallets = (body['wallets'] ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, wallet] of Object.entries(wallets)) required(`/wallets/${name}`, wallet, ['id']);
  validateAccount.errors = issues.length === 0 ? null : issues;
  return issues.length === 0;
};

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.close();
});

function clientFor(fieldsRead?: readonly string[]) {
  const { api } = createTestClient(server, { maxRetries: 0 });
  const operation: Operation<Account, Account> = {
    name: 'getAccount',
    send: (init) => api.client.GET('/v1/balance', init),
    validator: validateAccount,
    fieldsRead,
  };
  return { read: () => api.read(operation), call: () => api.call(operation) };
}

describe('required fields the reader does not use', () => {
  it('are allowed to be missing: the data, and a note naming them', async () => {
    server.respondWith({ body: { balance: 7 } });
    const result = await clientFor(['balance']).read();
    expect(result.data).toEqual({ balance: 7 });
    expect(result.missingFields).toEqual(['$.currency', '$.owner']);
    expect(result.notes).toEqual([
      'the answer lacks $.currency, $.owner, which the spec requires but the balance does not use',
    ]);
  });

  it('a missing field the reader needs stays an invalid response, naming it', async () => {
    server.respondWith({ body: { currency: 'EUR' } });
    const error = await rejectionOf(clientFor(['balance']).read());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).path).toBe('$.balance');
    expect((error as InvalidResponseError).reason).toContain('$.balance: required property is missing');
  });

  it('a missing parent of a field read is needed too', async () => {
    server.respondWith({ body: { balance: 1, currency: 'EUR' } });
    const error = await rejectionOf(clientFor(['balance', 'owner.name']).read());
    expect((error as InvalidResponseError).path).toBe('$.owner');
  });

  it('a missing field besides a wrong one: still invalid, for the wrong one', async () => {
    server.respondWith({ body: { balance: 'lots' } });
    const error = await rejectionOf(clientFor(['balance']).read());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).reason).toContain('$.balance: expected number, got string "lots"');
  });

  it('without fieldsRead, every required field must be there (the typed raw calls)', async () => {
    server.respondWith({ body: { balance: 7 } });
    const error = await rejectionOf(clientFor().call());
    expect(InvalidResponseError.isInstance(error)).toBe(true);
    expect((error as InvalidResponseError).reason).toContain('required property is missing');
  });

  it('validateResponses: false notes nothing: nothing was checked', async () => {
    server.respondWith({ body: { balance: 7 } });
    const { api } = createTestClient(server, { validateResponses: false });
    const result = await api.read({
      name: 'getAccount',
      send: (init) => api.client.GET('/v1/balance', init),
      validator: validateAccount,
      fieldsRead: ['balance'],
    });
    expect(result.notes).toEqual([]);
  });

  it("the note shows a server's keys safely: control characters visible, the key redacted", async () => {
    server.respondWith({
      body: { balance: 7, currency: 'EUR', owner: 'me', wallets: { '\u001b[2J\u202e': {}, [secret]: {} } },
    });
    const { notes } = await clientFor(['balance', 'currency', 'owner']).read();
    expect(notes).toHaveLength(1);
    expect(notes[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(notes[0]).toContain('$.wallets.\\u001b[2J\\u202e.id');
    expect(notes[0]).not.toContain(secret);
    expect(notes[0]).not.toContain(secret.slice(0, 12));
  });
});

describe('createBalance', () => {
  it("puts the context's notes before the mapper's own", () => {
    const balance = createBalance(
      'testprovider',
      { notes: ['from the answer'] },
      { unit: 'credits', raw: {}, notes: ['mine'] },
    );
    expect(balance.notes).toEqual(['from the answer', 'mine']);
  });
});
