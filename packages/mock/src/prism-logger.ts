import { stripVTControlCharacters } from 'node:util';

import type { MockLogger } from './mock-logger.js';
import { redactLogLine } from './request-journal.js';

type LogMethod = (...parts: unknown[]) => void;

/**
 * The slice of the pino 6 interface that Prism 5 calls (`child`, the standard levels and Prism's
 * custom `success` level). Implementing it ourselves keeps pino out of our dependencies and lets
 * "silent" cost nothing instead of serialising every request only to drop it.
 */
export interface PrismLogger {
  child(bindings: Record<string, unknown>): PrismLogger;
  trace: LogMethod;
  debug: LogMethod;
  info: LogMethod;
  success: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  fatal: LogMethod;
}

const ignore: LogMethod = () => {};

const silentPrismLogger: PrismLogger = {
  child: () => silentPrismLogger,
  trace: ignore,
  debug: ignore,
  info: ignore,
  success: ignore,
  warn: ignore,
  error: ignore,
  fatal: ignore,
};

export function createPrismLogger(logger: MockLogger | undefined, scope: string): PrismLogger {
  if (logger === undefined) return silentPrismLogger;
  return createForwardingPrismLogger(logger, [scope]);
}

function createForwardingPrismLogger(logger: MockLogger, scopes: readonly string[]): PrismLogger {
  const forwardTo =
    (write: (message: string) => void): LogMethod =>
    (...parts) => {
      // Prism calls both pino shapes: (message) and (mergeObject, message); a `name` in the
      // merge object names the Prism component (VALIDATOR, NEGOTIATOR...) for that line only.
      const [first] = parts;
      const component = isRecord(first) && typeof first['name'] === 'string' ? [first['name']] : [];
      const text = parts.filter((part): part is string => typeof part === 'string').join(' ');
      const prefix = [...scopes, ...component].map((scope) => `[${scope}]`).join(' ');
      // Prism prints every request's headers; credentials never reach the log.
      write(redactLogLine(stripVTControlCharacters(`${prefix} ${text}`)));
    };
  return {
    child: (bindings) =>
      createForwardingPrismLogger(
        logger,
        typeof bindings['name'] === 'string' ? [...scopes, bindings['name']] : scopes,
      ),
    trace: forwardTo((message) => logger.debug(message)),
    debug: forwardTo((message) => logger.debug(message)),
    info: forwardTo((message) => logger.info(message)),
    success: forwardTo((message) => logger.info(message)),
    warn: forwardTo((message) => logger.warn(message)),
    error: forwardTo((message) => logger.error(message)),
    fatal: forwardTo((message) => logger.error(message)),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
