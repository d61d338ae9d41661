/**
 * What fetch's rules say about a response body, which both ways of sending (fetch and the Node
 * transport) and the reading of a success follow alike.
 */

/** Statuses whose response has no body. */
export const nullBodyStatuses: ReadonlySet<number> = new Set([101, 204, 205, 304]);

/**
 * Whether a `Content-Encoding` names a coding: then a declared Content-Length counts compressed
 * bytes, and only the decoded stream tells the body's size.
 */
export function isContentEncoded(contentEncoding: string | null | undefined): boolean {
  return !/^\s*(identity\s*)?$/i.test(contentEncoding ?? '');
}
