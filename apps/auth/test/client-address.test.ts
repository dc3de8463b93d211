import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startFresh } from './harness';

let env: Awaited<ReturnType<typeof startFresh>>;
let port: number;

// The gateway is 127.0.0.1; 127.0.0.2 is another local client: on a loopback address, yet not a trusted proxy.
beforeAll(async () => {
  env = await startFresh('client_address', { env: { TRUSTED_PROXIES: '127.0.0.1', LOGIN_MAX_ATTEMPTS_PER_IP: '3' } });
  port = Number(new URL(env.auth.url).port);
});
afterAll(async () => {
  await env?.close();
});

function loginFrom(localAddress: string, forwardedFor: string, password: string): Promise<number> {
  const body = JSON.stringify({ username: ADMIN.username, password });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method: 'POST',
        path: '/api/login',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-forwarded-for': forwardedFor },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('client address behind TRUSTED_PROXIES', () => {
  it('a local client that is not a trusted proxy cannot escape the per-address limit with X-Forwarded-For', async () => {
    for (let i = 0; i < 3; i += 1) expect(await loginFrom('127.0.0.2', `203.0.113.${i + 1}`, 'wrong-password')).toBe(401);
    // A fresh forged address each time: still the same client, 127.0.0.2.
    expect(await loginFrom('127.0.0.2', '203.0.113.50', ADMIN.password)).toBe(429);
    const { rows } = await env.auth.db.query<{ ip: string }>(`SELECT DISTINCT ip FROM audit_log WHERE action = 'login'`);
    expect(rows.map((r) => r.ip)).toEqual(['127.0.0.2']);
  });

  it('believes the trusted gateway: its right-most hop is the client', async () => {
    expect(await loginFrom('127.0.0.1', '127.0.0.2, 198.51.100.4', ADMIN.password)).toBe(200);
    const { rows } = await env.auth.db.query<{ ip: string }>(
      `SELECT ip FROM audit_log WHERE action = 'login' AND outcome = 'success' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]?.ip).toBe('198.51.100.4');
  });
});
