/**
 * Base class of every error thrown by an aicredits package.
 *
 * `instanceof` breaks when two copies of a package are installed (a facade and a provider package
 * resolved to different versions), so every class in the chain leaves a global-symbol marker on the
 * instance, and the static `isInstance` checks the marker instead.
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (AiCreditsError.isInstance(error)) console.error(error.provider, error.message);
 * }
 * ```
 */
export class AiCreditsError extends Error {
  /** Each subclass declares its own marker; `Symbol.for` makes it the same across package copies. */
  static readonly errorMarker: string = 'aicredits.error';

  override name = 'AiCreditsError';

  /** Provider id, e.g. `crowdcomputed`; `undefined` for errors that belong to no provider. */
  readonly provider: string | undefined;

  constructor(options: { message: string; provider?: string | undefined; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.provider = options.provider;
    for (let target: object | null = new.target; target !== null; target = Object.getPrototypeOf(target)) {
      if (Object.hasOwn(target, 'errorMarker')) {
        Object.defineProperty(this, Symbol.for((target as typeof AiCreditsError).errorMarker), {
          value: true,
          enumerable: false,
        });
      }
    }
  }

  /** `AuthenticationError.isInstance(error)` is true for that class and its subclasses, from any package copy. */
  static isInstance<T extends abstract new (...args: never[]) => AiCreditsError>(
    this: T & { errorMarker: string },
    error: unknown,
  ): error is InstanceType<T> {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as Record<symbol, unknown>)[Symbol.for(this.errorMarker)] === true
    );
  }

  /** A plain object for logs and `JSON.stringify`: never includes request headers or the API key. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, provider: this.provider };
  }
}
