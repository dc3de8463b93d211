/**
 * What the notifications bench's clients received: per socket, which notifications arrived and how often, so a
 * loss or a duplicate is counted against the socket it happened on. Notification `i` is titled `n<i>`.
 */
export interface SocketTally {
  userId: string;
  replica: number;
  got: number;
  duplicates: number;
  /** Closed by the server before the bench ended (code), if it was. */
  closedWith?: number;
  seen: Set<number>;
}

export interface DeliverySummary {
  sockets: number;
  expected: number;
  got: number;
  lost: number;
  duplicates: number;
  socketsWithLoss: number;
  socketsWithDuplicates: number;
  socketsClosedEarly: number;
  /** The worst sockets (most lost, then most duplicated), for the report. */
  worst: Array<{ socket: number; userId: string; replica: number; expected: number; got: number; lost: number; duplicates: number }>;
}

export class DeliveryTally {
  readonly sockets: SocketTally[] = [];
  /** Publish time (ms, this process's clock) of notification i; NaN until published. */
  readonly sentAt: Float64Array;
  private readonly publishedTo = new Map<string, number>();
  /** publish → receipt of notifications from `measuredFrom` on, in ms. */
  readonly latencies: number[] = [];
  frames = 0;

  constructor(
    total: number,
    private readonly measuredFrom: number,
  ) {
    this.sentAt = new Float64Array(total).fill(Number.NaN);
  }

  addSocket(userId: string, replica: number): number {
    this.sockets.push({ userId, replica, got: 0, duplicates: 0, seen: new Set() });
    return this.sockets.length - 1;
  }

  published(index: number, userId: string, at: number): void {
    this.sentAt[index] = at;
    this.publishedTo.set(userId, (this.publishedTo.get(userId) ?? 0) + 1);
  }

  /** A publish that failed is not owed to anyone. */
  unpublished(userId: string): void {
    this.publishedTo.set(userId, (this.publishedTo.get(userId) ?? 0) - 1);
  }

  received(socket: number, title: string, at: number): void {
    const tally = this.sockets[socket];
    const index = /^n(\d+)$/.exec(title) ? Number(title.slice(1)) : -1;
    const sent = this.sentAt[index];
    if (!tally || sent === undefined || Number.isNaN(sent)) return; // not one of this run's
    this.frames += 1;
    if (tally.seen.has(index)) {
      tally.duplicates += 1;
      return;
    }
    tally.seen.add(index);
    tally.got += 1;
    if (index >= this.measuredFrom) this.latencies.push(at - sent);
  }

  expectedOf(socket: SocketTally): number {
    return this.publishedTo.get(socket.userId) ?? 0;
  }

  /** Frames still owed over all sockets (for the drain wait). */
  outstanding(): number {
    let owed = 0;
    for (const socket of this.sockets) owed += Math.max(0, this.expectedOf(socket) - socket.got);
    return owed;
  }

  summary(worstCount = 5): DeliverySummary {
    const rows = this.sockets.map((s, socket) => {
      const expected = this.expectedOf(s);
      return { socket, userId: s.userId, replica: s.replica, expected, got: s.got, lost: expected - s.got, duplicates: s.duplicates };
    });
    const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((total, r) => total + pick(r), 0);
    return {
      sockets: rows.length,
      expected: sum((r) => r.expected),
      got: sum((r) => r.got),
      lost: sum((r) => r.lost),
      duplicates: sum((r) => r.duplicates),
      socketsWithLoss: rows.filter((r) => r.lost > 0).length,
      socketsWithDuplicates: rows.filter((r) => r.duplicates > 0).length,
      socketsClosedEarly: this.sockets.filter((s) => s.closedWith !== undefined).length,
      worst: rows
        .filter((r) => r.lost > 0 || r.duplicates > 0)
        .sort((a, b) => b.lost - a.lost || b.duplicates - a.duplicates)
        .slice(0, worstCount),
    };
  }
}

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}
