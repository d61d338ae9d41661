import net from 'node:net';

/** True when nothing accepts connections at the URL's host and port any more. */
export function connectionIsRefused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') resolve(true);
      else reject(error);
    });
  });
}

export interface OccupiedPort {
  readonly port: number;
  release(): Promise<void>;
}

/** Listens on a free port of 127.0.0.1 until released. */
export function occupyPort(): Promise<OccupiedPort> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('Expected a TCP address'));
        return;
      }
      resolve({
        port: address.port,
        release: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/**
 * Ports the OS just reported free. Another process could take one before the test uses it, but
 * on a test machine that race is rare enough, and the alternative (fixed ports) collides often.
 */
export async function findFreePorts(count: number): Promise<number[]> {
  const occupied = await Promise.all(Array.from({ length: count }, () => occupyPort()));
  await Promise.all(occupied.map((port) => port.release()));
  return occupied.map((port) => port.port);
}

/** A raw TCP connection to 127.0.0.1, for playing a client that never finishes its request. */
export function openSocket(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Everything a socket receives until the other side ends it (or resets it: an error also ends it). */
export function untilClosed(socket: net.Socket): Promise<string> {
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('error', () => {});
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}
