import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_KEY, startFresh } from './harness';

let env: Awaited<ReturnType<typeof startFresh>>;

beforeAll(async () => {
  env = await startFresh('internal_guard');
});
afterAll(async () => {
  await env?.close();
});

/**
 * What the gateway sends upstream: the client's header lines as they came, then its own forwarding lines
 * (apps/gateway's heads.ts appends them after the client's). Raw socket: fetch would reorder nothing, but it also
 * could not send a hundred-odd padding lines exactly as an attacker does.
 */
function throughGateway(port: number, path: string, clientLines: string[]): Promise<{ status: number; body: string }> {
  const gatewayLines = [
    'X-Forwarded-For: 198.51.100.7',
    'X-Forwarded-Proto: https',
    'X-Forwarded-Host: auth.cloud.localhost',
    'X-Real-IP: 198.51.100.7',
    'X-Request-ID: padding-attack',
  ];
  const head = [`GET ${path} HTTP/1.1`, 'Host: auth.cloud.localhost', ...clientLines, ...gatewayLines, '', ''];
  return new Promise((resolve, reject) => {
    // Written, not ended: a half-closed client may see its connection closed before a slow answer is sent.
    const socket = connect(port, '127.0.0.1', () => socket.write(head.join('\r\n')));
    let raw = '';
    const done = () => {
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
      resolve({ status, body: raw.slice(raw.indexOf('\r\n\r\n') + 4) });
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      raw += chunk;
      const headEnd = raw.indexOf('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(raw)?.[1];
      if (headEnd !== -1 && length !== undefined && Buffer.byteLength(raw.slice(headEnd + 4)) >= Number(length)) done();
    });
    socket.on('error', reject);
    socket.on('close', done);
  });
}

const padding = (count: number) => Array.from({ length: count }, (_, i) => `X-Pad-${i}: x`);

describe('internal endpoints behind the public gateway', () => {
  it('a service-key request padded to push the gateway headers out does not reach the user list', async () => {
    const port = Number(new URL(env.auth.url).port);
    for (const path of ['/api/users', '/internal/users']) {
      for (const count of [0, 97, 300]) {
        const res = await throughGateway(port, path, [`X-Service-Key: ${SERVICE_KEY}`, ...padding(count)]);
        expect(res.status, `${path} with ${count} padding lines`).not.toBe(200);
        expect(res.body).not.toContain('"username"');
      }
    }
  });

  it('too many header lines answer 431 in JSON instead of losing the last ones', async () => {
    const port = Number(new URL(env.auth.url).port);
    const res = await throughGateway(port, '/healthz', padding(300));
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'headers_too_large' });
  });

  it('the same key sent directly (no gateway) still lists users', async () => {
    const res = await fetch(`${env.auth.url}/internal/users`, { headers: { 'x-service-key': SERVICE_KEY } });
    expect(res.status).toBe(200);
  });
});
