import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { MockProviderId } from './mock-provider-id.js';

// Both dist/index.js and src/*.ts sit one level below the package root, so the same relative
// URL finds the specs copied into the package by the build (see tsup.config.ts).
export const embeddedSpecsDirectory: string = fileURLToPath(new URL('../specs/', import.meta.url));

export function specFilePath(specsDirectory: string, provider: MockProviderId): string {
  return path.resolve(specsDirectory, `${provider}.yaml`);
}
