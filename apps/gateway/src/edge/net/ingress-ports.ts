import type { Server } from 'node:net';
import type { Logger } from '@edd/logger';
import type { EdgeContext } from '../context';
import { closeServer, createDetectingServer, listen, type ConnectionTracker } from './listeners';

/**
 * Container ingress listeners: a port in the ingress range is open exactly while some ingress rule uses
 * it. Closing a port stops new connections; the ones already open run to their end.
 */
export class IngressPorts {
  private readonly servers = new Map<number, { server: Server; bound: Promise<number | undefined> }>();
  private readonly boundPorts = new Map<number, number>();
  private stopped = false;

  constructor(
    private readonly ctx: EdgeContext,
    private readonly tracker: ConnectionTracker,
    private readonly logger: Logger,
  ) {}

  get bound(): ReadonlyMap<number, number> {
    return this.boundPorts;
  }

  /** Opens and closes listeners to match `ports`; resolves when the new ones are listening. */
  async reconcile(ports: ReadonlySet<number>): Promise<void> {
    if (this.stopped) return;
    const s = this.ctx.settings;
    const wanted = new Set([...ports].filter((p) => p >= s.ingressPortMin && p <= s.ingressPortMax));
    const closing: Promise<void>[] = [];
    for (const [port, entry] of this.servers) {
      if (wanted.has(port)) continue;
      this.servers.delete(port);
      this.boundPorts.delete(port);
      closing.push(closeServer(entry.server));
    }
    const opening: Promise<number | undefined>[] = [];
    for (const port of wanted) {
      if (this.servers.has(port)) continue;
      const server = createDetectingServer(this.ctx, this.tracker, {
        externalPort: port,
        secure: false,
        ingress: true,
        plainMain: false,
      });
      const bound = listen(server, port, s.bind).then(
        (actual) => {
          this.boundPorts.set(port, actual);
          return actual;
        },
        (err: unknown) => {
          this.servers.delete(port);
          this.logger.warn('ingress port not opened', { port, error: err instanceof Error ? err.message : String(err) });
          return undefined;
        },
      );
      this.servers.set(port, { server, bound });
      opening.push(bound);
    }
    await Promise.all([...closing, ...opening]);
  }

  async close(): Promise<void> {
    this.stopped = true;
    const all = [...this.servers.values()].map((entry) => closeServer(entry.server));
    this.servers.clear();
    this.boundPorts.clear();
    await Promise.all(all);
  }
}
