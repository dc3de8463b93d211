// A small but real stand-in for apps/auth (a lib's tests must not import an app): a JWKS endpoint with a real
// Ed25519 key, real EdDSA session JWTs, and `GET /api/session` answering for the sessions it issued.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export interface FakeAuth {
  url: string;
  issueSession(userId: string): Promise<{ token: string; sessionId: string }>;
  close(): Promise<void>;
}

export async function startFakeAuth(): Promise<FakeAuth> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const kid = randomBytes(6).toString('hex');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const live = new Map<string, string>(); // token -> session id

  const app = express();
  app.get('/.well-known/jwks.json', (_req, res) => {
    res.json({ keys: [jwk] });
  });
  app.get('/api/session', (req, res) => {
    const sessionId = live.get(/^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
    if (sessionId === undefined) return void res.status(401).json({ error: 'authentication required' });
    res.json({ session_id: sessionId });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async issueSession(userId) {
      const sessionId = randomBytes(10).toString('hex');
      const token = await new SignJWT({ sid: sessionId, username: `user-${userId}`, is_admin: false })
        .setProtectedHeader({ alg: 'EdDSA', kid })
        .setSubject(userId)
        .setIssuer('edd-cloud-auth')
        .setAudience('edd-cloud')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
      live.set(token, sessionId);
      return { token, sessionId };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
