/**
 * How an attempt is sent when the user gives no `fetch`. This file is the Node version, and the one
 * the tests (vitest, on Node) run. The build does not bundle it: tsup.config.ts turns the import of
 * `./default-send.js` into `#default-send`, which package.json's `imports` resolve per runtime,
 * `node` to this file and everything else (browsers, Deno, Bun, bundlers for the web) to
 * default-send-web.ts. A condition, not a check at run time, so that a browser bundle never
 * contains `node:http` nor the bytes of the Node transport.
 */
import { nodeSend } from './node-transport.js';

export const defaultSend: typeof nodeSend | undefined = nodeSend;
