import { describe, expect, it } from 'vitest';

import type { MockLogger } from './mock-logger.js';
import { createPrismLogger } from './prism-logger.js';
import { startMockServers } from './start-mock-servers.js';
import { repositorySpecsDirectory } from './test-support/spec-operations.js';

function recordingLogger(): MockLogger & { lines: Array<[level: string, message: string]> } {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    debug: (message) => lines.push(['debug', message]),
    info: (message) => lines.push(['info', message]),
    warn: (message) => lines.push(['warn', message]),
    error: (message) => lines.push(['error', message]),
  };
}

describe('createPrismLogger', () => {
  it('is silent without a logger and keeps the pino shape Prism calls', () => {
    const logger = createPrismLogger(undefined, 'pixverse');
    expect(() => logger.child({ name: 'NEGOTIATOR' }).success({ name: 'VALIDATOR' }, 'ok')).not.toThrow();
  });

  it('forwards both pino call shapes with provider and component scopes, without colours', () => {
    const recorder = recordingLogger();
    const logger = createPrismLogger(recorder, 'pixverse');
    logger.child({ name: 'NEGOTIATOR' }).success('\u001b[32mFound response 200\u001b[39m');
    logger.error({ name: 'VALIDATOR' }, 'Violation: request Invalid security scheme used');
    logger.trace({ input: {} }, 'Request received');
    expect(recorder.lines).toEqual([
      ['info', '[pixverse] [NEGOTIATOR] Found response 200'],
      ['error', '[pixverse] [VALIDATOR] Violation: request Invalid security scheme used'],
      ['debug', '[pixverse] Request received'],
    ]);
  });

  it("receives Prism's lines for a real request", async () => {
    const recorder = recordingLogger();
    const servers = await startMockServers({
      specsDirectory: repositorySpecsDirectory,
      providers: ['imaginepro'],
      logger: recorder,
    });
    try {
      await (await fetch(`${servers.urls.imaginepro}/no-such-path`)).body?.cancel();
    } finally {
      await servers.close();
    }
    expect(recorder.lines.some(([, message]) => message.startsWith('[imaginepro]'))).toBe(true);
  });
});
