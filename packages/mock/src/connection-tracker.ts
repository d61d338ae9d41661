import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { AddressInfo, Server, Socket } from 'node:net';

/**
 * Remembers the sockets accepted by one listening address, so they can be destroyed on close.
 *
 * Why: Prism keeps its http.Server private, and `server.close()` waits for every open connection.
 * Node closes idle keep-alive connections itself, but a client that connected and sent nothing
 * yet (a browser's preconnect) or half a request would hold `close()` open for minutes. Node
 * publishes every accepted socket on the `net.server.socket` diagnostics channel, so we can pick
 * ours by the address of the server that accepted it.
 */
export interface ConnectionTracker {
  /** Starts recognising sockets accepted on this address; call once the server listens. */
  listenedOn(address: string, port: number): void;
  /** Destroys every socket still open and stops tracking. */
  destroyAllAndStop(): void;
}

const channelName = 'net.server.socket';

export function trackConnections(): ConnectionTracker {
  const sockets = new Set<Socket>();
  let bound: { address: string; port: number } | undefined;

  const onSocket = (message: unknown): void => {
    const socket = (message as { socket?: Socket }).socket;
    // `server` is set by Node on every accepted socket, though not part of the typed API.
    const server = (socket as (Socket & { server?: Server }) | undefined)?.server;
    const address = server?.address() as AddressInfo | string | null | undefined;
    if (socket === undefined || bound === undefined || typeof address !== 'object' || address === null) return;
    if (address.port !== bound.port || address.address !== bound.address) return;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  subscribe(channelName, onSocket);

  return {
    listenedOn(address, port) {
      bound = { address, port };
    },
    destroyAllAndStop() {
      unsubscribe(channelName, onSocket);
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}
