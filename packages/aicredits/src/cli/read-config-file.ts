import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** Far beyond any real config (a few hundred accounts take kilobytes). */
export const maxConfigFileBytes = 10 * 1024 * 1024;

/** Why a config file cannot be read; `code` is the system error code when there is one. */
export class ConfigFileError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/**
 * Reads a config file as UTF-8 text, without a byte order mark. Only a regular file of at most
 * `maxConfigFileBytes` is read: a FIFO would block forever, `/dev/zero` never ends.
 */
export async function readConfigFile(path: string): Promise<string> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigFileError(code === 'ENOENT' ? 'no such file' : (error as Error).message, code);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new ConfigFileError('not a regular file');
    if (stats.size > maxConfigFileBytes) throw new ConfigFileError(`larger than ${maxConfigFileBytes} bytes`);
    // Read one byte past the cap: a file that grows while read is refused too.
    const buffer = Buffer.alloc(Math.min(stats.size, maxConfigFileBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) throw new ConfigFileError('grew while being read');
    }
    const text = buffer.subarray(0, length).toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } finally {
    await handle.close();
  }
}
