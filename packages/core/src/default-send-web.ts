/**
 * The default way of sending outside Node: none of our own, so the transport uses
 * `globalThis.fetch` (see default-send.ts for how each runtime gets its file).
 */
import type { nodeSend } from './node-transport.js';

export const defaultSend: typeof nodeSend | undefined = undefined;
