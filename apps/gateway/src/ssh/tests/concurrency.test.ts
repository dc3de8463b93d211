import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519, startSshHarness, type SshHarness } from './harness';

// 50 in CI; SSH_TEST_CONCURRENT=200 for the figure the issue names.
const SESSIONS = Number(process.env['SSH_TEST_CONCURRENT'] ?? 50);
// How long each session stays open after its login, so that all of them overlap even when logins are slow.
const HOLD_SECONDS = Number(process.env['SSH_TEST_HOLD_SECONDS'] ?? 60);

const counter = (text: string, name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);

describe(`SSH plane: ${SESSIONS} concurrent sessions`, () => {
  let h: SshHarness;
  let key = '';

  beforeAll(async () => {
    // Generous deadlines: many OpenSSH handshakes at once on a small, shared CI machine are slow, not broken.
    h = await startSshHarness({
      limits: { maxUnauthenticatedPerAddress: SESSIONS + 10, authTimeoutMs: 240_000, upstreamTimeoutMs: 120_000 },
    });
    const owner = ed25519();
    await h.addContainer('many0001', [owner]);
    key = await h.client.identity('owner', owner);
  });
  afterAll(async () => h?.close());

  it('holds every session open at the same time, each with its own output', async () => {
    let peak = 0;
    const watch = setInterval(() => {
      const text = h.metrics.render();
      peak = Math.max(peak, counter(text, 'gateway_ssh_logins_total') - counter(text, 'gateway_ssh_sessions_closed_total'));
    }, 100);
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: SESSIONS }, (_, i) =>
        h.client.ssh(key, 'many0001', `echo session-${i}; sleep ${HOLD_SECONDS}`, {
          timeoutMs: 280_000,
          flags: ['-o', 'ConnectTimeout=240'],
        }),
      ),
    );
    clearInterval(watch);
    const failures = results.flatMap((result, i) =>
      result.stdout.trim() === `session-${i}` ? [] : [`${i}: ${result.stdout} ${result.stderr.slice(0, 200)}`],
    );
    expect({ failures, refusals: h.refusals() }).toEqual({ failures: [], refusals: [] });
    expect(peak, `peak of simultaneous sessions (run took ${Date.now() - started} ms)`).toBe(SESSIONS);
  }, 300_000);
});
