import { startTestServer, type TestServer } from '@aicredits/test-server';
import type { AccountsConfig } from 'aicredits';

export interface ScriptedImaginePro {
  server: TestServer;
  /** What the next checks see; change it between rounds. */
  state: {
    credits: number;
    status: number;
    /** The plan name the server answers with (provider text: may be hostile). Default STARTER. */
    plan?: string | undefined;
    retryAfter?: string | undefined;
    hold?: Promise<void> | undefined;
  };
  config(overrides?: Partial<AccountsConfig>): AccountsConfig;
  close(): Promise<void>;
}

export const scriptedApiKey = 'sk-monitor-test-key-0123456789';

/** An ImaginePro account endpoint on 127.0.0.1 whose credits and status a test sets. */
export async function startScriptedImaginePro(): Promise<ScriptedImaginePro> {
  const server = await startTestServer();
  const state: ScriptedImaginePro['state'] = { credits: 1000, status: 200 };
  server.handle((_request, response) => {
    const send = () => {
      if (state.status !== 200) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (state.retryAfter !== undefined) headers['retry-after'] = state.retryAfter;
        response.writeHead(state.status, headers);
        response.end(JSON.stringify({ message: `failure for key ${scriptedApiKey}` }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          type: state.plan ?? 'STARTER',
          creditsQuota: 1000,
          credits: state.credits,
          creditsExtra: 0,
          expiredAt: '2030-02-07T14:30:00.000Z',
          email: 'alice@example.com',
        }),
      );
    };
    if (state.hold === undefined) send();
    else void state.hold.then(send);
  });
  return {
    server,
    state,
    config: (overrides = {}) => ({
      accounts: [{ provider: 'imaginepro', label: 'main', apiKey: scriptedApiKey, baseURL: server.url, min: 500 }],
      settings: { maxRetries: 0 },
      ...overrides,
    }),
    close: () => server.close(),
  };
}
