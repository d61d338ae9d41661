/**
 * A `fetch` for a client's `fetch` setting that resolves `headersArrived` once a response's status and
 * headers are in: the readiness event a test waits for before timing out a body that never ends.
 */
export function fetchNotingHeaders(): {
  fetch: (request: Request) => Promise<Response>;
  headersArrived: Promise<void>;
} {
  let arrived!: () => void;
  const headersArrived = new Promise<void>((resolve) => (arrived = resolve));
  return {
    headersArrived,
    fetch: async (request) => {
      const response = await fetch(request);
      arrived();
      return response;
    },
  };
}
