/**
 * An answer that is no use and that retrying will not change: too large, a bad Location, a
 * charset. The transport turns it into an `InvalidResponseError`; both ways of sending (fetch and
 * the Node transport) throw it, so it has a file of its own.
 */
export class UnusableResponseError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The reason given when a body grows past `maxResponseBytes`, as it arrives. */
export function tooLargeMessage(maxBytes: number, decompressed: boolean): string {
  return `response body exceeds maxResponseBytes (${maxBytes})${decompressed ? ' once decompressed' : ''}`;
}

/** The reason given when a declared Content-Length is already past `maxResponseBytes`. */
export function declaredTooLargeMessage(declared: number, maxBytes: number): string {
  return `response body of ${declared} bytes exceeds maxResponseBytes (${maxBytes})`;
}
