import type { ProviderDefinition } from '@aicredits/core/provider-utils';

/** ImaginePro answers errors NestJS-style: `{ message, error?, statusCode }`, `message` maybe a list. */
export const imagineProDefinition: ProviderDefinition = {
  id: 'imaginepro',
  defaultBaseURL: 'https://api.imaginepro.ai',
  apiKeyEnvironmentVariable: 'IMAGINEPRO_API_KEY',
  authenticate: (apiKey) => ({ Authorization: `Bearer ${apiKey}` }),
  describeError: (body) => {
    if (typeof body !== 'object' || body === null) return undefined;
    const { message, error } = body as { message?: unknown; error?: unknown };
    if (Array.isArray(message)) return { message: message.map(String).join('; ') };
    if (typeof message === 'string') return { message };
    return typeof error === 'string' ? { message: error } : undefined;
  },
};
