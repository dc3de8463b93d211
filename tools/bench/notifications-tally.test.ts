import { describe, expect, it } from 'vitest';
import { DeliveryTally } from './notifications-tally';

describe('DeliveryTally', () => {
  it('charges a stored notification a socket never got as lost, an unstored one as not stored, a repeat as a duplicate', () => {
    const tally = new DeliveryTally(4, 1);
    const a = tally.addSocket('u1', 0);
    const b = tally.addSocket('u1', 1);
    const c = tally.addSocket('u2', 0);
    tally.published(0, 'u1', 100);
    tally.published(1, 'u1', 100);
    tally.published(2, 'u1', 100);
    tally.published(3, 'u2', 100);
    tally.received(a, 1, 'n0', 105);
    tally.received(a, 2, 'n1', 110);
    tally.received(a, 2, 'n1', 111); // again
    tally.received(b, 2, 'n1', 120);
    tally.received(b, 1, 'n0', 121); // older id after a newer one
    tally.received(c, 4, 'n3', 130);
    tally.received(c, 9, 'other', 130); // not this run's

    expect(tally.outstanding()).toBe(2); // n2 to a and b
    const summary = tally.summary(new Set([0, 1, 3])); // n2 never stored
    expect(summary).toMatchObject({ expected: 7, got: 5, lost: 0, notStored: 2, duplicates: 1, outOfOrder: 1 });
    const stored = tally.summary(new Set([0, 1, 2, 3]));
    expect(stored).toMatchObject({ lost: 2, notStored: 0, socketsWithLoss: 2, socketsWithDuplicates: 1 });
    expect(stored.worst.map((w) => w.socket)).toEqual([a, b]);
    // Latency only for the measured phase (index >= 1), once per socket.
    expect([...tally.latencies].sort((x, y) => x - y)).toEqual([10, 20, 30]);
  });

  it('owes a failed publish only when the database has it after all', () => {
    const tally = new DeliveryTally(3, 0);
    const a = tally.addSocket('u1', 0);
    tally.published(0, 'u1', 0);
    tally.published(1, 'u1', 0);
    tally.published(2, 'u1', 0);
    tally.publishFailed(1, 'u1');
    tally.publishFailed(2, 'u1');
    tally.received(a, 1, 'n0', 1);
    expect(tally.outstanding()).toBe(0);
    // n1's ack timed out but it was stored: owed, and missing. n2 never landed: not owed.
    expect(tally.summary(new Set([0, 1]))).toMatchObject({ expected: 2, got: 1, lost: 1, notStored: 0, failedButStored: 1 });
  });
});
