import { waitFor } from '@edd/events/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519, startSshHarness, type SshHarness } from './harness';

// The 200 (74 s for this file on a 2-core machine at load 17); SSH_TEST_CONCURRENT makes it smaller.
const SESSIONS = Number(process.env['SSH_TEST_CONCURRENT'] ?? 200);

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
    // Each session prints its number, then stays until its stdin ends: all of them are open together however slowly
    // the logins come, and the test ends them only once every one has answered.
    const sessions = Array.from({ length: SESSIONS }, (_, i) => {
      const child = h.client.spawnSsh(key, 'many0001', ['-o', 'ConnectTimeout=240'], `echo session-${i}; cat >/dev/null; echo done-${i}`);
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
      let gone = false;
      void exited.then(() => (gone = true));
      return { child, i, exited, gone: () => gone, output: () => ({ stdout, stderr }) };
    });
    const answered = (s: (typeof sessions)[number]) => s.output().stdout.includes(`session-${s.i}\n`);
    try {
      // Stops early when any session ended before the others were all in (a refusal, a dropped connection).
      await waitFor(() => sessions.every(answered) || sessions.some((s) => s.gone()), 280_000, 200);
      const early = sessions.filter((s) => s.gone()).map((s) => `${s.i}: ${s.output().stdout} ${s.output().stderr.slice(0, 200)}`);
      expect({ early, refusals: h.refusals() }).toEqual({ early: [], refusals: [] });
      const text = h.metrics.render();
      expect(counter(text, 'gateway_ssh_logins_total') - counter(text, 'gateway_ssh_sessions_closed_total')).toBe(SESSIONS);
      expect(h.plane.openConnections).toBe(SESSIONS);
    } finally {
      for (const s of sessions) s.child.stdin?.end();
    }
    const codes = await Promise.all(sessions.map((s) => s.exited));
    const wrong = sessions.filter((s, n) => codes[n] !== 0 || s.output().stdout !== `session-${s.i}\ndone-${s.i}\n`);
    expect(wrong.map((s) => `${s.i}: ${JSON.stringify(s.output())}`)).toEqual([]);
  }, 300_000);
});
