export interface BatcherOptions<In> {
  /** Most items in one batch. */
  maxBatch: number;
  /** Batches being taken in at once. */
  maxInFlight: number;
  /** Items of one key are taken in in the order they were added, never in two batches at once. */
  keyOf: (item: In) => string;
}

interface Entry<In, Out> {
  item: In;
  key: string;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items wait until a batch slot is free and then go together, in the order they were added. Under
 * load the batches grow by themselves (more arrives during a slower round trip); when quiet, an item goes alone at
 * the next turn of the event loop, which also gathers everything delivered by the same socket read. A key with a
 * batch in flight waits for it, so one key's items are taken in one batch after another, in order. A failed batch is
 * retried item by item, so one bad item fails only itself.
 */
export class Batcher<In, Out> {
  private waiting: Array<Entry<In, Out>> = [];
  private readonly busyKeys = new Map<string, number>();
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly takeIn: (items: In[]) => Promise<Out[]>,
    private readonly options: BatcherOptions<In>,
  ) {}

  add(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ item, key: this.options.keyOf(item), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.options.maxInFlight && this.startBatch());
    });
  }

  /**
   * Takes the waiting items whose key has no batch in flight, in order, up to maxBatch; false when none could go.
   * No item overtakes an earlier one of its key: that one was left either because its key is busy (so are the later
   * ones) or because the batch was full (so are they all), and the batch's keys are busy until it is done.
   */
  private startBatch(): boolean {
    const batch: Array<Entry<In, Out>> = [];
    const left: Array<Entry<In, Out>> = [];
    for (const entry of this.waiting) {
      if (batch.length < this.options.maxBatch && !this.busyKeys.has(entry.key)) batch.push(entry);
      else left.push(entry);
    }
    if (batch.length === 0) return false;
    this.waiting = left;
    for (const { key } of batch) this.busyKeys.set(key, (this.busyKeys.get(key) ?? 0) + 1);
    this.inFlight += 1;
    void this.run(batch).finally(() => {
      this.inFlight -= 1;
      for (const { key } of batch) {
        const count = (this.busyKeys.get(key) ?? 1) - 1;
        if (count === 0) this.busyKeys.delete(key);
        else this.busyKeys.set(key, count);
      }
      this.schedule();
    });
    return true;
  }

  private async run(batch: Array<Entry<In, Out>>): Promise<void> {
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
