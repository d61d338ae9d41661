/** One request as it left the client, after any `alter` step. */
export interface FetchedRequest {
  method: string;
  url: string;
  /** Path and query string exactly as sent, e.g. `/v2/pixverse/features/?email=alice%40example.com`. */
  pathAndQuery: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body as text; `null` when the request had no body at all. */
  body: string | null;
}

export interface RecordingFetchOptions {
  /** Changes the request before it is recorded and sent, e.g. deletes the auth header. */
  alter?: (request: Request) => Request | void;
  /** Answers instead of the network. Default: `globalThis.fetch`. */
  respond?: (request: Request) => Response | Promise<Response>;
}

export interface RecordingFetch {
  /** A `fetch` for a client's `fetch` setting. */
  fetch: (request: Request) => Promise<Response>;
  /** Every request that went through, in order. */
  requests: FetchedRequest[];
}

/** A `fetch` wrapper that records (and optionally alters) every request before passing it on. */
export function recordingFetch(options: RecordingFetchOptions = {}): RecordingFetch {
  const requests: FetchedRequest[] = [];
  return {
    requests,
    fetch: async (original) => {
      const request = options.alter?.(original) ?? original;
      const headers: Record<string, string> = {};
      request.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      const url = new URL(request.url);
      requests.push({
        method: request.method,
        url: request.url,
        pathAndQuery: `${url.pathname}${url.search}`,
        headers,
        body: request.body === null ? null : await request.clone().text(),
      });
      return options.respond === undefined ? globalThis.fetch(request) : options.respond(request);
    },
  };
}
