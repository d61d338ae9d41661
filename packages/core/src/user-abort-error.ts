import { AiCreditsError } from './aicredits-error.js';

/**
 * The caller's `AbortSignal` fired. Never retried.
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (UserAbortError.isInstance(error)) console.error('cancelled');
 * }
 * ```
 */
export class UserAbortError extends AiCreditsError {
  static override readonly errorMarker: string = 'aicredits.error.user-abort';
  override name = 'UserAbortError';
  declare readonly provider: string;
  readonly operation: string | undefined;
  readonly url: string;

  constructor(options: { provider: string; operation?: string | undefined; url: string; cause?: unknown }) {
    super({
      provider: options.provider,
      cause: options.cause,
      message: `${options.provider}${options.operation ? ` ${options.operation}` : ''}: request to ${options.url} was aborted by the caller`,
    });
    this.operation = options.operation;
    this.url = options.url;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), operation: this.operation, url: this.url };
  }
}
