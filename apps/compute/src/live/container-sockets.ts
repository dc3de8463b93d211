import type { ComputeLiveMessage } from '@edd/api-contracts';
import type { LiveSocket } from '@edd/live';

/** This replica's open `/compute/ws` sockets by user: where the NATS feed delivers each user's changes. */
export class ContainerSockets {
  private readonly byUser = new Map<string, Set<LiveSocket>>();

  add(userId: string, socket: LiveSocket): void {
    const sockets = this.byUser.get(userId) ?? new Set<LiveSocket>();
    sockets.add(socket);
    this.byUser.set(userId, sockets);
    socket.raw.once('close', () => {
      sockets.delete(socket);
      if (!sockets.size) this.byUser.delete(userId);
    });
  }

  sendTo(userId: string, message: ComputeLiveMessage): void {
    for (const socket of this.byUser.get(userId) ?? []) socket.send(message);
  }
}
