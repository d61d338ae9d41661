import type { ServerResponse } from 'node:http';

import type { MockFault } from './mock-scenario.js';

/** What a proxy in front of an API answers when the API is down (nginx's own 502 page). */
const htmlErrorPage =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

const slowBodyParts = 8;
const slowBodyIntervalMs = 250;

export type Headers = Record<string, string | number | string[]>;

/** Sends a fault that still writes an HTTP answer, built from the answer the spec would give. */
export function sendWithFault(
  response: ServerResponse,
  fault: Exclude<MockFault, 'connection-reset'> | undefined,
  status: number,
  headers: Headers,
  body: string,
  sleep: (milliseconds: number) => Promise<void>,
): Promise<number> | number {
  switch (fault) {
    case 'html-error-page':
      response.writeHead(502, {
        ...headers,
        'content-type': 'text/html',
        'content-length': Buffer.byteLength(htmlErrorPage),
      });
      response.end(htmlErrorPage);
      return 502;
    case 'invalid-json': {
      // The fault CrowdComputed's own docs show: one comma missing.
      const broken = body.includes(',') ? body.replace(',', ' ') : `${body.slice(0, Math.floor(body.length / 2))}{`;
      response.writeHead(200, {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(broken),
      });
      response.end(broken);
      return 200;
    }
    case 'empty-body':
      response.writeHead(200, { ...headers, 'content-length': 0 });
      response.end();
      return 200;
    case 'truncated-body': {
      const bytes = Buffer.from(body);
      response.writeHead(status, { ...headers, 'content-length': bytes.length });
      response.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => response.destroy());
      return status;
    }
    case 'slow-body':
      return sendSlowly(response, status, headers, Buffer.from(body), sleep);
    default:
      response.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
      response.end(body);
      return status;
  }
}

async function sendSlowly(
  response: ServerResponse,
  status: number,
  headers: Headers,
  bytes: Buffer,
  sleep: (milliseconds: number) => Promise<void>,
): Promise<number> {
  response.writeHead(status, { ...headers, 'content-length': bytes.length });
  const partLength = Math.ceil(bytes.length / slowBodyParts);
  for (let offset = 0; offset < bytes.length; offset += partLength) {
    if (offset > 0) await sleep(slowBodyIntervalMs);
    if (response.destroyed) return status;
    response.write(bytes.subarray(offset, offset + partLength));
  }
  response.end();
  return status;
}
