import * as net from 'node:net';

/** Whether a TCP listener can be bound on 127.0.0.1:port right now (the probe socket is closed again). */
export function canBindLoopback(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}
