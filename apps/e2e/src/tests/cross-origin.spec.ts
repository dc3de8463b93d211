import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { domain, gatewayPort, urls } from '../support/e2e-env';
import { expect, snap, test } from '../support/fixtures';
import { gatewayFetch } from '../support/gateway-fetch';

// A page on an origin outside the platform, served by a tiny server of the test's own.
let server: Server;
let evilOrigin: string;

test.beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Not the platform</title><h1>Not the platform</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  evilOrigin = `http://evil.localhost:${(server.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs inside the page: a credentialed read, as any script on that origin could attempt. */
async function credentialedFetch(target: string) {
  try {
    const response = await fetch(target, { credentials: 'include' });
    return { reached: true, status: response.status, body: await response.text() };
  } catch (error) {
    return { reached: false, error: String(error) };
  }
}

test('a page outside the platform cannot read auth with the user’s cookie; the dashboard can', async ({ page }, testInfo) => {
  const sessionUrl = `${urls.auth}/api/session`;

  // The browser holds the admin's session cookie (saved state), yet a foreign page's credentialed read fails.
  await page.goto(`${evilOrigin}/`);
  const foreign = await page.evaluate(credentialedFetch, sessionUrl);
  expect(foreign.reached).toBe(false);
  await snap(page, testInfo, 'foreign-origin');

  await page.goto('/');
  const own = await page.evaluate(credentialedFetch, sessionUrl);
  expect(own).toMatchObject({ reached: true, status: 200 });
  expect(JSON.parse(own.body ?? '{}')).toHaveProperty('user_id');
});

test('CORS headers: credentials only for the platform’s own origins', async () => {
  const sessionUrl = `${urls.auth}/api/session`;
  const corsOf = async (origin: string, method: 'GET' | 'OPTIONS' = 'GET') => {
    const headers: Record<string, string> = { origin };
    if (method === 'OPTIONS') headers['access-control-request-method'] = 'PUT';
    const response = await gatewayFetch(sessionUrl, { method, headers });
    return {
      allowOrigin: response.headers.get('access-control-allow-origin'),
      allowCredentials: response.headers.get('access-control-allow-credentials'),
    };
  };

  // Lookalikes, a user container's host under compute.<domain>, and the opaque origin of sandboxed pages.
  const port = gatewayPort;
  const foreign = [
    evilOrigin,
    `http://evil${domain}:${port}`,
    `http://${domain}.attacker.test`,
    `http://app1.compute.${domain}:${port}`,
    'null',
  ];
  for (const origin of foreign) {
    expect(await corsOf(origin), origin).toMatchObject({ allowOrigin: null });
    expect(await corsOf(origin, 'OPTIONS'), `preflight from ${origin}`).toMatchObject({ allowOrigin: null });
  }
  expect(await corsOf(urls.dashboard)).toEqual({ allowOrigin: urls.dashboard, allowCredentials: 'true' });
  expect(await corsOf(urls.dashboard, 'OPTIONS')).toEqual({ allowOrigin: urls.dashboard, allowCredentials: 'true' });
});
