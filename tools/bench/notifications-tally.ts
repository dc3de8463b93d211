/**
 * What the notifications bench's clients received: per socket, which notifications arrived and how often, so a
 * loss or a duplicate is counted against the socket it happened on. Notification `i` is titled `n<i>`.
 */
export interface SocketTally {
  userId: string;
  replica: number;
  got: number;
  duplicates: number;
  /** Frames whose notification id was below one this socket already had (the protocol sends in id order). */
  outOfOrder: number;
  lastId: number;
  /** Close codes of the times the server closed it during the run (the bench reconnects with `?after=`). */
  closes: number[];
  seen: Set<number>;
}

export interface SocketRow {
  socket: number;
  userId: string;
  replica: number;
  expected: number;
  got: number;
  /** Stored but never received: a delivery bug. */
  lost: number;
  /** Never stored by the end (the intake was behind): the service too slow, not a lost delivery. */
  notStored: number;
  duplicates: number;
}

export interface DeliverySummary {
  sockets: number;
  expected: number;
  got: number;
  lost: number;
  notStored: number;
  /** Publishes that failed (ack timeout) yet were stored: owed all the same. */
  failedButStored: number;
  duplicates: number;
  outOfOrder: number;
  socketsWithLoss: number;
  socketsWithDuplicates: number;
  /** Server-side closes during the run, by close code. */
  closes: Record<string, number>;
  /** The worst sockets (most lost, then most duplicated), for the report. */
  worst: SocketRow[];
}

export class DeliveryTally {
  readonly sockets: SocketTally[] = [];
  /** Publish time (ms, this process's clock) of notification i; NaN until published. */
  readonly sentAt: Float64Array;
  /** The notifications (indices) each user was sent. */
  private readonly sentTo = new Map<string, number[]>();
  /** Publishes that failed: owed only if the database has them after all (a timed-out ack may still have landed). */
  private readonly failed = new Set<number>();
  private readonly failedTo = new Map<string, number>();
  /** publish → receipt of notifications from `measuredFrom` on, in ms. */
  readonly latencies: number[] = [];
  frames = 0;

  constructor(
    total: number,
    private readonly measuredFrom: number,
  ) {
    this.sentAt = new Float64Array(total).fill(Number.NaN);
  }

  /** The index of notification title `n<i>`, or -1. */
  static indexOf(title: string): number {
    return /^n\d+$/.test(title) ? Number(title.slice(1)) : -1;
  }

  addSocket(userId: string, replica: number): number {
    this.sockets.push({ userId, replica, got: 0, duplicates: 0, outOfOrder: 0, lastId: 0, closes: [], seen: new Set() });
    return this.sockets.length - 1;
  }

  published(index: number, userId: string, at: number): void {
    this.sentAt[index] = at;
    const sent = this.sentTo.get(userId) ?? [];
    sent.push(index);
    this.sentTo.set(userId, sent);
  }

  publishFailed(index: number, userId: string): void {
    this.failed.add(index);
    this.failedTo.set(userId, (this.failedTo.get(userId) ?? 0) + 1);
  }

  received(socket: number, id: number, title: string, at: number): void {
    const tally = this.sockets[socket];
    const index = DeliveryTally.indexOf(title);
    const sent = this.sentAt[index];
    if (!tally || sent === undefined || Number.isNaN(sent)) return; // not one of this run's
    this.frames += 1;
    if (tally.seen.has(index)) {
      tally.duplicates += 1;
      return;
    }
    tally.seen.add(index);
    if (id < tally.lastId) tally.outOfOrder += 1;
    tally.lastId = Math.max(tally.lastId, id);
    tally.got += 1;
    if (index >= this.measuredFrom) this.latencies.push(at - sent);
  }

  /** Sent to the socket's user and not failed (what the drain waits for). */
  private expectedOf(socket: SocketTally): number {
    return (this.sentTo.get(socket.userId)?.length ?? 0) - (this.failedTo.get(socket.userId) ?? 0);
  }

  /** Frames still owed over all sockets (for the drain wait). */
  outstanding(): number {
    let owed = 0;
    for (const socket of this.sockets) owed += Math.max(0, this.expectedOf(socket) - socket.got);
    return owed;
  }

  /** Per socket what was owed and what came; `stored` holds the indices the database has at the end. */
  summary(stored: ReadonlySet<number>, worstCount = 6): DeliverySummary {
    const rows: SocketRow[] = this.sockets.map((s, socket) => {
      let lost = 0;
      let notStored = 0;
      let expected = 0;
      for (const index of this.sentTo.get(s.userId) ?? []) {
        if (this.failed.has(index) && !stored.has(index) && !s.seen.has(index)) continue; // never published
        expected += 1;
        if (s.seen.has(index)) continue;
        if (stored.has(index)) lost += 1;
        else notStored += 1;
      }
      return { socket, userId: s.userId, replica: s.replica, expected, got: s.got, lost, notStored, duplicates: s.duplicates };
    });
    const sum = (pick: (r: SocketRow) => number) => rows.reduce((total, r) => total + pick(r), 0);
    return {
      sockets: rows.length,
      expected: sum((r) => r.expected),
      got: sum((r) => r.got),
      lost: sum((r) => r.lost),
      notStored: sum((r) => r.notStored),
      failedButStored: [...this.failed].filter((index) => stored.has(index)).length,
      duplicates: sum((r) => r.duplicates),
      outOfOrder: this.sockets.reduce((total, s) => total + s.outOfOrder, 0),
      socketsWithLoss: rows.filter((r) => r.lost > 0).length,
      socketsWithDuplicates: rows.filter((r) => r.duplicates > 0).length,
      closes: this.sockets
        .flatMap((s) => s.closes)
        .reduce<Record<string, number>>((byCode, code) => ({ ...byCode, [code]: (byCode[code] ?? 0) + 1 }), {}),
      worst: rows
        .filter((r) => r.lost > 0 || r.duplicates > 0)
        .sort((a, b) => b.lost - a.lost || b.duplicates - a.duplicates)
        .slice(0, worstCount),
    };
  }
}
