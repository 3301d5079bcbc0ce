import { connect, createServer, type Socket } from 'node:net';

export interface TcpForwarder {
  /** Closes the listener and cuts every open connection, as a network outage would. */
  stop(): Promise<void>;
}

/**
 * Forwards connections on 127.0.0.1:`listenPort` to 127.0.0.1:`targetPort`. Tests use it to
 * make a real Pub/Sub emulator unreachable and reachable again at a moment they choose.
 */
export async function startTcpForwarder(listenPort: number, targetPort: number): Promise<TcpForwarder> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    track(client);
    track(upstream);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(listenPort, '127.0.0.1', resolve));
  return {
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
