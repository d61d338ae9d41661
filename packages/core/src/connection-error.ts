import { AiCreditsError } from './aicredits-error.js';

export interface ConnectionErrorOptions {
  provider: string;
  operation?: string | undefined;
  url: string;
  attempts: number;
  cause?: unknown;
  message?: string;
}

/**
 * No usable answer arrived: DNS failure, refused or reset connection, a body cut off mid-way.
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (ConnectionError.isInstance(error)) console.error(`unreachable after ${error.attempts} attempt(s)`);
 * }
 * ```
 */
export class ConnectionError extends AiCreditsError {
  static override readonly errorMarker: string = 'aicredits.error.connection';
  override name = 'ConnectionError';
  declare readonly provider: string;
  readonly operation: string | undefined;
  readonly url: string;
  readonly attempts: number;

  constructor(options: ConnectionErrorOptions) {
    super({
      provider: options.provider,
      cause: options.cause,
      message:
        options.message ??
        `${options.provider}${options.operation ? ` ${options.operation}` : ''}: could not reach ${options.url} after ${options.attempts} attempt(s): ${causeText(options.cause)}`,
    });
    this.operation = options.operation;
    this.url = options.url;
    this.attempts = options.attempts;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), operation: this.operation, url: this.url, attempts: this.attempts };
  }
}

/**
 * Every attempt took longer than the timeout.
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (TimeoutError.isInstance(error)) console.error(`no answer within ${error.timeoutMs} ms`);
 * }
 * ```
 */
export class TimeoutError extends ConnectionError {
  static override readonly errorMarker: string = 'aicredits.error.timeout';
  override name = 'TimeoutError';
  readonly timeoutMs: number;

  constructor(options: ConnectionErrorOptions & { timeoutMs: number }) {
    super({
      ...options,
      message:
        options.message ??
        `${options.provider}${options.operation ? ` ${options.operation}` : ''}: no complete answer from ${options.url} within ${options.timeoutMs} ms (${options.attempts} attempt(s))`,
    });
    this.timeoutMs = options.timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}

function causeText(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  // undici hides the useful part ("ECONNREFUSED 127.0.0.1:1234") in `cause.cause`.
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}
