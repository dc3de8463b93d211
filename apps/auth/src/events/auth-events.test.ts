import { Writable } from 'node:stream';
import type { EventBus } from '@edd/events';
import { createLogger } from '@edd/logger';
import { describe, expect, it } from 'vitest';
import { AuthEventPublisher, type AuthEvent } from './auth-events';

const revoked = (tokenId: string): AuthEvent => ({ type: 'auth.token.revoked', data: { tokenId, userId: 'u1' } });

describe('AuthEventPublisher', () => {
  it('publishes every event side by side and logs, without throwing, the ones that fail', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: 't',
      stream: new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) }),
    });
    let inFlight = 0;
    let mostInFlight = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const published: string[] = [];
    const bus = {
      publish: async (_type: string, data: { tokenId: string }) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        if (inFlight === 3) release();
        await gate;
        inFlight -= 1;
        if (data.tokenId === 'bad') throw new Error('nats unreachable');
        published.push(data.tokenId);
        return { seq: 1, duplicate: false };
      },
    } as unknown as EventBus;

    await new AuthEventPublisher(bus, logger).publishAll([revoked('a'), revoked('bad'), revoked('c')]);
    expect(mostInFlight).toBe(3);
    expect(published.sort()).toEqual(['a', 'c']);
    expect(lines.filter((l) => l.includes('event publish failed after commit'))).toHaveLength(1);
  });
});
