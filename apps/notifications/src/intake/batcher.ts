/**
 * Group commit: items added while a batch is being taken in wait and go together in the next one, one batch at a
 * time, in the order they were added. Under load the batches grow by themselves (more arrives during a slower round
 * trip); when quiet, an item goes alone at the next turn of the event loop, which also gathers everything delivered
 * by the same socket read. A failed batch is retried item by item, so one bad item fails only itself.
 */
export class Batcher<In, Out> {
  private waiting: Array<{ item: In; resolve: (out: Out) => void; reject: (error: unknown) => void }> = [];
  private scheduled = false;
  private running = false;

  constructor(
    private readonly takeIn: (items: In[]) => Promise<Out[]>,
    private readonly maxBatch: number,
  ) {}

  add(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.running || this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.drain();
      });
    });
  }

  /** `running` is cleared in the same synchronous step that found nothing waiting, so no item is ever stranded. */
  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting.length > 0) await this.run(this.waiting.splice(0, this.maxBatch));
    } finally {
      this.running = false;
    }
  }

  private async run(batch: typeof this.waiting): Promise<void> {
    let outs: Out[];
    try {
      outs = await this.takeIn(batch.map((entry) => entry.item));
      if (outs.length !== batch.length) throw new Error(`batch of ${batch.length} answered with ${outs.length} results`);
    } catch (error) {
      if (batch.length === 1) batch[0]?.reject(error);
      else for (const entry of batch) await this.run([entry]);
      return;
    }
    batch.forEach((entry, i) => entry.resolve(outs[i] as Out));
  }
}
