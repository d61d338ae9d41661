import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterEach } from 'vitest';

/** A fresh directory per test, removed after it, with a `file:` URL helper for SQLite files in it. */
export function useTemporaryDirectory() {
  const created: string[] = [];
  afterEach(async () => {
    await Promise.all(created.splice(0).map((path) => rm(path, { recursive: true, force: true })));
  });
  return {
    async create() {
      const path = await mkdtemp(join(tmpdir(), 'aicredits-monitor-'));
      created.push(path);
      return {
        path,
        fileUrl: (name: string) => pathToFileURL(join(path, name)).href,
        join: (name: string) => join(path, name),
      };
    },
  };
}
