import { AiCreditsError } from './aicredits-error.js';

export interface InvalidResponseErrorOptions {
  provider: string;
  operation: string;
  url: string;
  status: number;
  /** What is wrong, e.g. `$.data.totalPoints: expected number, got string` or `body is not valid JSON`. */
  reason: string;
  /** JSON path of the first offending value, when the body parsed but did not match the spec. */
  path?: string | undefined;
  /** The parsed body, when it parsed. */
  body?: unknown;
  rawBody: string;
  contentType?: string | undefined;
  requestId?: string | undefined;
  cause?: unknown;
}

/**
 * The provider answered with success, but the answer cannot be trusted: not JSON, an HTML page,
 * empty, too large, or JSON that does not match the provider's spec.
 *
 * @example
 * ```ts
 * try {
 *   await client.getBalance();
 * } catch (error) {
 *   if (InvalidResponseError.isInstance(error)) console.error('unexpected answer:', error.message);
 * }
 * ```
 */
export class InvalidResponseError extends AiCreditsError {
  static override readonly errorMarker: string = 'aicredits.error.invalid-response';
  override name = 'InvalidResponseError';
  declare readonly provider: string;
  readonly operation: string;
  readonly url: string;
  readonly status: number;
  readonly reason: string;
  readonly path: string | undefined;
  readonly body: unknown;
  readonly rawBody: string;
  readonly contentType: string | undefined;
  readonly requestId: string | undefined;

  constructor(options: InvalidResponseErrorOptions) {
    super({
      provider: options.provider,
      cause: options.cause,
      message: `${options.provider} ${options.operation} returned an invalid response (HTTP ${options.status}): ${options.reason}`,
    });
    this.operation = options.operation;
    this.url = options.url;
    this.status = options.status;
    this.reason = options.reason;
    this.path = options.path;
    this.body = options.body;
    this.rawBody = options.rawBody;
    this.contentType = options.contentType;
    this.requestId = options.requestId;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      operation: this.operation,
      url: this.url,
      status: this.status,
      reason: this.reason,
      path: this.path,
      contentType: this.contentType,
      requestId: this.requestId,
      body: this.body,
      rawBody: this.rawBody,
    };
  }
}
