/**
 * A coarse clock shared by every connection: one interval refreshes "now" and the HTTP Date header, and
 * runs the deadline sweep. Per request the proxy only assigns numbers, instead of arming a timer each time.
 */
export interface Sweepable {
  /** Called on every tick with the current coarse time; returns nothing, acts on its own expired deadlines. */
  sweep(now: number): void;
}

const hrtime = process.hrtime;

/**
 * Milliseconds on the monotonic clock, fractional: what request durations are measured with. process.hrtime is
 * cheaper than performance.now (whose receiver check and wrapper cost ~120 more instructions a call).
 */
export function monotonicMs(): number {
  const time = hrtime();
  return (time[0] as number) * 1000 + (time[1] as number) / 1e6;
}

export class CoarseClock {
  now = Date.now();
  /** Date.now() - monotonicMs() at the last tick: a monotonic reading plus this is wall-clock time (access log). */
  wallOffset = this.now - monotonicMs();
  /** RFC 9110 §5.6.7 IMF-fixdate, refreshed once per second at most. */
  date = new Date(this.now).toUTCString();
  private lastDateSecond = Math.floor(this.now / 1000);
  private readonly members = new Set<Sweepable>();
  private readonly timer: NodeJS.Timeout;

  constructor(tickMs = 200) {
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  add(member: Sweepable): void {
    this.members.add(member);
  }

  delete(member: Sweepable): void {
    this.members.delete(member);
  }

  get size(): number {
    return this.members.size;
  }

  forEach(fn: (member: Sweepable) => void): void {
    for (const member of this.members) fn(member);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = Date.now();
    this.now = now;
    this.wallOffset = now - monotonicMs();
    const second = Math.floor(now / 1000);
    if (second !== this.lastDateSecond) {
      this.lastDateSecond = second;
      this.date = new Date(now).toUTCString();
    }
    for (const member of this.members) {
      try {
        member.sweep(now);
      } catch {
        this.members.delete(member); // a failing member must not stop the clock for everyone else
      }
    }
  }
}
