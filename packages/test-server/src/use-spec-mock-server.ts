import { getHttpOperationsFromSpec } from '@stoplight/prism-http';
import { createServer } from '@stoplight/prism-http-server';
import { afterAll, beforeAll } from 'vitest';

type PrismLogger = Parameters<typeof createServer>[1]['components']['logger'];

const ignore = () => {};
/** Prism logs every request; these tests read answers, not logs. */
const silentLogger = {
  child: () => silentLogger,
  trace: ignore,
  debug: ignore,
  info: ignore,
  success: ignore,
  warn: ignore,
  error: ignore,
  fatal: ignore,
} as unknown as PrismLogger;

/**
 * Like `useMockServer`, for a spec that `@aicredits/mock` does not embed (a third-party provider's):
 * Prism's own HTTP server for `specFile`, configured as `prism mock` is (security and requests
 * checked, examples served, `Prefer` honoured), on 127.0.0.1 and a free port, started before the
 * file's tests and closed after them. The config is `@aicredits/mock`'s (prism-config.ts), which the
 * mock keeps to itself; both mirror prism-cli's.
 */
export function useSpecMockServer(specFile: string): () => string {
  let server: ReturnType<typeof createServer> | undefined;
  let url: string | undefined;
  beforeAll(async () => {
    const operations = await getHttpOperationsFromSpec(specFile);
    server = createServer(operations, {
      components: { logger: silentLogger },
      cors: false,
      config: {
        mock: { dynamic: false, ignoreExamples: false },
        checkSecurity: true,
        validateRequest: true,
        validateResponse: true,
        errors: false,
        upstreamProxy: undefined,
        isProxy: false,
      },
    });
    url = (await server.listen(0, '127.0.0.1')).replace(/\/$/, '');
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (url === undefined) throw new Error(`the mock server of ${specFile} did not start`);
    return url;
  };
}
