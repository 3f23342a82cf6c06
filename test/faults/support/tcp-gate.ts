import net from 'node:net';

export interface TcpGate {
  /** host:port-free URL of the gate, e.g. http://127.0.0.1:PORT */
  url: string;
  /** Refuses new connections and drops open ones, as an unreachable service would. */
  close(): Promise<void>;
  /** Listens again on the same port. */
  open(): Promise<void>;
  /** Closes for good. */
  dispose(): Promise<void>;
}

/**
 * A TCP pass-through on 127.0.0.1 to `targetPort`, which can be shut and opened again, so a test
 * can take a service away without losing its state (dynalite drops its tables when it closes).
 */
export async function startTcpGate(targetPort: number): Promise<TcpGate> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  await listen(0);
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close,
    open: () => listen(port),
    dispose: async () => {
      if (server.listening) await close();
    },
  };
}
