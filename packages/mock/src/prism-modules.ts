import type {
  createInstance,
  getHttpOperationsFromSpec,
  ProblemJsonError,
  resetJSONSchemaGenerator,
} from '@stoplight/prism-http';

import { deferFaker } from './deferred-faker.js';

export interface PrismModules {
  readonly getHttpOperationsFromSpec: typeof getHttpOperationsFromSpec;
  readonly resetJSONSchemaGenerator: typeof resetJSONSchemaGenerator;
  readonly createInstance: typeof createInstance;
  readonly toProblemJson: (typeof ProblemJsonError)['toProblemJson'];
}

export type HttpOperation = Awaited<ReturnType<typeof getHttpOperationsFromSpec>>[number];

let loading: Promise<PrismModules> | undefined;

/**
 * Prism takes about a second to load. Loading it on first use keeps importing this package
 * (for `mockProviderIds`, say) and the bin's `--help` and argument errors instant. Only
 * prism-http is loaded: the HTTP server around it is ours (provider-server.ts), and faker waits
 * until a dynamic answer needs it (deferred-faker.ts).
 */
export function loadPrismModules(): Promise<PrismModules> {
  if (loading === undefined) deferFaker();
  loading ??= import('@stoplight/prism-http').then((prismHttp) => ({
    getHttpOperationsFromSpec: prismHttp.getHttpOperationsFromSpec,
    resetJSONSchemaGenerator: prismHttp.resetJSONSchemaGenerator,
    createInstance: prismHttp.createInstance,
    toProblemJson: (error) => prismHttp.ProblemJsonError.toProblemJson(error),
  }));
  return loading;
}
