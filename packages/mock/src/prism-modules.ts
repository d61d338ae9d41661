import type { getHttpOperationsFromSpec, resetJSONSchemaGenerator } from '@stoplight/prism-http';
import type { createServer } from '@stoplight/prism-http-server';

export interface PrismModules {
  readonly getHttpOperationsFromSpec: typeof getHttpOperationsFromSpec;
  readonly resetJSONSchemaGenerator: typeof resetJSONSchemaGenerator;
  readonly createServer: typeof createServer;
}

export type HttpOperation = Awaited<ReturnType<typeof getHttpOperationsFromSpec>>[number];

let loading: Promise<PrismModules> | undefined;

/**
 * Prism takes about a second to load. Loading it on first use keeps importing this package
 * (for `mockProviderIds`, say) and the bin's `--help` and argument errors instant.
 */
export function loadPrismModules(): Promise<PrismModules> {
  loading ??= Promise.all([import('@stoplight/prism-http'), import('@stoplight/prism-http-server')]).then(
    ([prismHttp, prismHttpServer]) => ({
      getHttpOperationsFromSpec: prismHttp.getHttpOperationsFromSpec,
      resetJSONSchemaGenerator: prismHttp.resetJSONSchemaGenerator,
      createServer: prismHttpServer.createServer,
    }),
  );
  return loading;
}
