import { startTestServer, type TestServer } from '@aicredits/test-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AiCreditsError, MissingApiKeyError, SettingsError } from './index.js';
import { createApiClient } from './provider-utils.js';
import {
  apiKeyEnvironmentVariable,
  createTestClient,
  expectNoSecret,
  type paths,
  rejectionOf,
  secret,
  testProvider,
} from './testing/test-provider.js';

let server: TestServer;
let previousEnvironmentKey: string | undefined;
beforeEach(async () => {
  server = await startTestServer();
  server.respondWith({ body: { balance: 42 } });
  previousEnvironmentKey = process.env[apiKeyEnvironmentVariable];
  delete process.env[apiKeyEnvironmentVariable];
});
afterEach(async () => {
  if (previousEnvironmentKey === undefined) delete process.env[apiKeyEnvironmentVariable];
  else process.env[apiKeyEnvironmentVariable] = previousEnvironmentKey;
  await server.close();
});

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('the API key', () => {
  it.each([
    ['absent, with the environment variable unset', undefined],
    ['empty', ''],
    ['blank', '   '],
  ])('%s: MissingApiKeyError before any request', async (_case, apiKey) => {
    const { getBalance, api } = createTestClient(server, { apiKey });
    const error = await rejectionOf(getBalance());

    expect(MissingApiKeyError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(MissingApiKeyError);
    expect(SettingsError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(SettingsError);
    const missing = error as MissingApiKeyError;
    expect(missing.setting).toBe('apiKey');
    expect(missing.environmentVariable).toBe(apiKeyEnvironmentVariable);
    expect(missing.provider).toBe('testprovider');
    expect(missing.message).toContain(apiKeyEnvironmentVariable);

    // The raw client is guarded the same way.
    expect(await rejectionOf(api.client.GET('/v1/balance'))).toBeInstanceOf(MissingApiKeyError);
    expect(server.requests).toHaveLength(0);
  });

  it('an empty apiKey setting is not replaced by the environment variable', async () => {
    process.env[apiKeyEnvironmentVariable] = secret;
    const { getBalance } = createTestClient(server, { apiKey: '' });
    expect(await rejectionOf(getBalance())).toBeInstanceOf(MissingApiKeyError);
    expect(server.requests).toHaveLength(0);
  });

  it('falls back to the environment variable, read at call time', async () => {
    const { getBalance } = createTestClient(server, { apiKey: undefined });
    process.env[apiKeyEnvironmentVariable] = 'sk-from-environment-0987654321';
    await expect(getBalance()).resolves.toEqual({ balance: 42 });
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer sk-from-environment-0987654321');
  });

  it('prefers the setting over the environment variable', async () => {
    process.env[apiKeyEnvironmentVariable] = 'sk-from-environment-0987654321';
    const { getBalance } = createTestClient(server);
    await getBalance();
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${secret}`);
  });
});

describe('baseURL', () => {
  const create = (baseURL: string, extra: { allowInsecureHttp?: boolean } = {}) =>
    createApiClient<paths>(testProvider, { apiKey: secret, baseURL, ...extra });

  function expectBaseUrlError(error: unknown): SettingsError {
    expect(SettingsError.isInstance(error)).toBe(true);
    expect(error).toBeInstanceOf(SettingsError);
    expect(error).toBeInstanceOf(AiCreditsError);
    expect(MissingApiKeyError.isInstance(error)).toBe(false);
    expect((error as SettingsError).setting).toBe('baseURL');
    expect((error as SettingsError).provider).toBe('testprovider');
    return error as SettingsError;
  }

  it('refuses plain http to a remote host at creation', () => {
    const error = expectBaseUrlError(thrownBy(() => create('http://example.com')));
    expect(error.message).toContain('allowInsecureHttp');
    expect(error.message).toContain('example.com');
  });

  it('allows it with allowInsecureHttp: true', () => {
    expect(() => create('http://example.com', { allowInsecureHttp: true })).not.toThrow();
  });

  it.each(['http://127.0.0.1:8080', 'http://localhost:3000/api', 'http://[::1]:4010', 'https://example.com'])(
    'allows %s',
    (baseURL) => {
      expect(() => create(baseURL)).not.toThrow();
    },
  );

  it('allows the loopback test server and sends requests to it', async () => {
    const { getBalance } = createTestClient(server, { baseURL: server.url });
    await expect(getBalance()).resolves.toEqual({ balance: 42 });
    expect(server.requests).toHaveLength(1);
  });

  it.each(['ftp://x', 'not a url', '', '/v1', 'file:///etc/passwd'])('rejects %j', (baseURL) => {
    expectBaseUrlError(thrownBy(() => create(baseURL)));
  });

  it('rejects credentials in the URL without echoing them', () => {
    for (const baseURL of [
      'https://admin:hunter2-password@api.example.com',
      'http://admin:hunter2-password@127.0.0.1:8080',
      'https://hunter2-password@api.example.com',
    ]) {
      const error = expectBaseUrlError(thrownBy(() => create(baseURL)));
      expect(error.message).toContain('user name or password');
      expectNoSecret(error, 'hunter2-password');
    }
  });

  it('does not echo credentials of a URL that does not even parse', () => {
    for (const baseURL of [
      '//admin:hunter2-password@api.example.com',
      'https://admin:hunter2-password@exa mple.com',
      'https://admin:hunter2-password@[broken',
    ]) {
      const error = expectBaseUrlError(thrownBy(() => create(baseURL)));
      expect(error.message).toContain('not an absolute URL');
      expect(error.message).toContain('***@');
      expectNoSecret(error, 'hunter2-password');
    }
    expect((thrownBy(() => create('not a url')) as SettingsError).message).toContain('"not a url"');
  });

  it('is checked before the API key, and before any request', () => {
    const error = thrownBy(() => createApiClient<paths>(testProvider, { baseURL: 'http://example.com' }));
    expectBaseUrlError(error);
    expect(server.requests).toHaveLength(0);
  });
});
