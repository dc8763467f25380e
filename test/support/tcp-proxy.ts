import { AddressInfo, createServer, connect, Server, Socket } from 'node:net';

/**
 * A TCP relay between the app and a real server (PostgreSQL, Redis), so a test can
 * make that server vanish for the app alone (every connection dropped, new ones
 * refused) and come back, without stopping it for the other tests running beside it.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  static async start(target: URL, defaultPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(target.hostname, Number(target.port || defaultPort));
    await proxy.listen();
    return proxy;
  }

  /** The target's URL with this proxy's host and port in it. */
  relay(target: URL): string {
    const url = new URL(target);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** The server "goes away": open connections are cut and new ones refused. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
    this.server = undefined;
  }

  /** The server is reachable again, on the same port. */
  restore(): Promise<void> {
    return this.listen();
  }

  close(): Promise<void> {
    return this.server ? this.cut() : Promise.resolve();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }
}
