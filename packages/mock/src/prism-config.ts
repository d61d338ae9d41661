import type { IHttpMockConfig } from '@stoplight/prism-http';

export interface PrismConfigOptions {
  dynamic: boolean;
  seed: string | undefined;
}

/**
 * Mirrors what `prism mock <spec>` builds in prism-cli 5.14.2 (dist/util/createServer.js), so
 * the mocks behave exactly like the CLI people already know: security and requests are checked,
 * responses are validated only to report `sl-violations` headers, and `errors: false` means a
 * violation never replaces the mocked response with a 500.
 */
export function createPrismConfig({ dynamic, seed }: PrismConfigOptions): IHttpMockConfig {
  return {
    mock: { dynamic, ignoreExamples: false, seed },
    checkSecurity: true,
    validateRequest: true,
    validateResponse: true,
    errors: false,
    upstreamProxy: undefined,
    isProxy: false,
  };
}
