import type { WebSocket } from 'ws';

/** The tRPC sockets of each connected host, so that revoking a host cuts it off at once. */
export class HostSockets {
  private readonly sockets = new Map<string, Set<WebSocket>>();

  /** Takes a host and one of its sockets; remembers it until it closes. */
  add(hostId: string, socket: WebSocket): void {
    const set = this.sockets.get(hostId) ?? new Set();
    set.add(socket);
    this.sockets.set(hostId, set);
    socket.once('close', () => set.delete(socket));
  }

  /** Takes a host; closes every socket it has open. */
  closeHost(hostId: string): void {
    for (const socket of this.sockets.get(hostId) ?? []) socket.close(4001, 'host revoked');
  }
}
