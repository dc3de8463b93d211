// The contract's `authenticate(options)` form: the same middleware as createAuthClient, cacheTtlMs honoured.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { authenticate, requireAuth } from '../src/index';
import { call } from './support/protected-service';
import { alice, useTestEnv } from './support/test-env';

const env = useTestEnv();

describe('authenticate(options)', () => {
  it('sets req.principal from an API token and honours cacheTtlMs (0: ask every time, unlike the 30 s default)', async () => {
    const middleware = authenticate({ authBaseUrl: env.auth.url, serviceKey: env.auth.serviceKey, cacheTtlMs: 0 });
    const app = express();
    app.use(middleware);
    app.get('/me', requireAuth, (req, res) => {
      res.json(req.principal);
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/me`;
      const { token, id } = env.auth.createToken(alice, { [`storage.${alice.userId}`]: ['read'] });
      expect((await call(url)).status).toBe(401);
      const before = env.auth.calls.check;
      for (let i = 0; i < 2; i += 1)
        expect(await call(url, { bearer: token })).toMatchObject({ status: 200, body: { tokenId: id, kind: 'api_token' } });
      expect(env.auth.calls.check - before).toBe(2);
    } finally {
      await middleware.client.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
