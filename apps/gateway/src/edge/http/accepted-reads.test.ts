import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptedOwnedReads, adoptOwnedReads } from './accepted-reads';
import { kept } from './owned-reads';
import { acceptedPair, closePairServers } from '../tests/socket-pair';

afterEach(closePairServers);

const tick = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('adoptOwnedReads', () => {
  // If this fails after a Node upgrade, the gateway still works (it reads 'data') but loses the fast path.
  it('finds the onread fields in this Node', () => {
    expect(acceptedOwnedReads).toBe(true);
  });

  it('delivers an accepted socket its reads in order, never as data events, and honours pause and resume', async () => {
    const { accepted, client } = await acceptedPair();
    const chunks: Buffer[] = [];
    accepted.on('data', () => {
      throw new Error("an adopted socket emitted 'data'");
    });
    // Small reads are lent (owned-reads.ts): kept as a receiver keeps them.
    expect(adoptOwnedReads(accepted, (chunk) => chunks.push(kept(chunk)))).toBe(true);
    accepted.resume();
    const first = randomBytes(300);
    client.write(first);
    await tick();
    expect(Buffer.concat(chunks).equals(first)).toBe(true);

    accepted.pause();
    const second = randomBytes(100_000);
    client.write(second);
    await tick(50);
    expect(Buffer.concat(chunks).length).toBe(first.length);

    const ended = once(accepted, 'end');
    accepted.resume();
    client.end();
    await ended;
    expect(Buffer.concat(chunks).equals(Buffer.concat([first, second]))).toBe(true);
    accepted.destroy();
  });

  it('leaves a socket with unread buffered bytes as it is', async () => {
    const { accepted, client } = await acceptedPair();
    accepted.resume();
    accepted.pause();
    client.write('buffered');
    await tick();
    expect(accepted.readableLength).toBeGreaterThan(0);
    expect(adoptOwnedReads(accepted, () => undefined)).toBe(false);
    expect(accepted.read()?.toString()).toBe('buffered');
    client.destroy();
    accepted.destroy();
  });
});
