import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Starts an HTTP server on a free loopback port. */
export async function listenOnLoopback(server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
}

/** The base URL of a listening loopback server. */
export function loopbackUrl(server: Server | undefined, what: string): string {
  const address = server?.address() as AddressInfo | null | undefined;
  if (!address) throw new Error(`${what} is not listening`);
  return `http://127.0.0.1:${address.port}`;
}

/** Stops a server at once, dropping keep-alive connections instead of waiting for them. */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
