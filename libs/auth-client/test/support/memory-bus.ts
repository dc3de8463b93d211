import type { RevocationBus } from '../../src/index';

type Handler = Parameters<RevocationBus['subscribe']>[0]['handler'];

/** In-process stand-in for the event bus: `emit` delivers synchronously to current subscribers. */
export class MemoryBus implements RevocationBus {
  private readonly handlers = new Set<Handler>();

  async subscribe(options: Parameters<RevocationBus['subscribe']>[0]): Promise<{ stop(): Promise<void> }> {
    const { handler } = options;
    this.handlers.add(handler);
    return { stop: async () => void this.handlers.delete(handler) };
  }

  emit(type: string, data: unknown): void {
    for (const handler of this.handlers) void handler({ type, data });
  }

  get subscribers(): number {
    return this.handlers.size;
  }
}
