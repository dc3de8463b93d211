import { describe, expect, it } from 'vitest';
import { findHostValue, hostNameAt, hostValueAt } from './host-values';
import { parseCommonRequestHead } from './request-head-fast';

/** The request head with this Host value, scanned and read as the edge reads it, and where its value lies. */
function read(hostValue: string): { host: string; hostHeader: string; bytes: Buffer; from: number; to: number } {
  const text = `GET /x HTTP/1.1\r\nHost: ${hostValue}\r\nAccept: */*\r\n\r\n`;
  const bytes = Buffer.from(text, 'latin1');
  const req = parseCommonRequestHead(bytes, text, text.length - 2);
  if (req === undefined) throw new Error(`not a common head: ${JSON.stringify(text)}`);
  const from = text.indexOf('Host: ') + 6;
  return { host: req.host, hostHeader: req.hostHeader, bytes, from, to: from + hostValue.length };
}

describe('host values', () => {
  it('are kept once read and found again by their bytes, name and value together', () => {
    const first = read('bench.cloud.localhost');
    const again = read('bench.cloud.localhost');
    expect(again.host).toBe('bench.cloud.localhost');
    const slot = findHostValue(again.bytes, again.from, again.to);
    expect(slot).not.toBe(-1);
    expect(hostValueAt(slot)).toBe('bench.cloud.localhost');
    expect(hostNameAt(slot)).toBe(first.host);

    // The name differs from the value: lower-cased, port dropped; both come back as read the first time.
    for (const value of ['Auth.Cloud.Localhost', 'storage.cloud.localhost:8443', 'A:1']) {
      const once = read(value);
      const twice = read(value);
      expect(twice).toMatchObject({ host: once.host, hostHeader: value });
      expect(findHostValue(twice.bytes, twice.from, twice.to)).not.toBe(-1);
    }
    expect(read('Auth.Cloud.Localhost').host).toBe('auth.cloud.localhost');
    expect(read('storage.cloud.localhost:8443').host).toBe('storage.cloud.localhost');
  });

  it('never give back a value that differs in any byte, at any length (the short and the word-wise comparison)', () => {
    const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (let length = 1; length <= 40; length++) {
      const value = Array.from({ length }, (_, i) => letters[(i * 7 + length) % letters.length]).join('');
      expect(read(value).host).toBe(value);
      for (let at = 0; at < length; at++) {
        // One byte changed (a letter's case too: the name is lower-cased, the value kept as sent).
        for (const replacement of ['q', '-', value[at]!.toUpperCase()]) {
          if (replacement === value[at]) continue;
          const changed = value.slice(0, at) + replacement + value.slice(at + 1);
          const got = read(changed);
          expect(got.hostHeader).toBe(changed);
          expect(got.host).toBe(changed.toLowerCase());
          // And the first value is found as itself again, not as the changed one.
          expect(read(value)).toMatchObject({ host: value, hostHeader: value });
        }
      }
    }
  });

  it('share slots: values that collide replace each other, each read right', () => {
    // Same length and first byte: the same slot.
    const values = ['a1.cloud.localhost', 'a2.cloud.localhost', 'a3.cloud.localhost'];
    for (let round = 0; round < 3; round++) {
      for (const value of values) expect(read(value)).toMatchObject({ host: value, hostHeader: value });
    }
  });

  it('leave values too long for a slot to be sliced each time', () => {
    const long = `${'x'.repeat(240)}.localhost`;
    const got = read(long);
    expect(got.host).toBe(long);
    expect(findHostValue(got.bytes, got.from, got.to)).toBe(-1);
    expect(read(long).host).toBe(long);
  });
});
