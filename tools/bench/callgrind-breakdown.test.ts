import { describe, expect, it } from 'vitest';
import { eventsPerRequest } from './callgrind-breakdown';

describe('eventsPerRequest', () => {
  it("divides each event of the dump's summary by the requests, by the names of its events line", () => {
    const dump = 'version: 1\ncreator: callgrind\nevents: Ir I1mr Bcm\nfn=(1) main\n0 10 1 0\nsummary: 4000 62 10\ntotals: 4100 70 12\n';
    expect(eventsPerRequest(dump, 2)).toEqual({ Ir: 2000, I1mr: 31, Bcm: 5 });
  });

  it('falls back to the totals line, and gives NaN for an event without a figure', () => {
    expect(eventsPerRequest('events: Ir Dr\ntotals: 30\n', 3)).toEqual({ Ir: 10, Dr: Number.NaN });
    expect(eventsPerRequest('no events here', 1)).toEqual({});
  });
});
