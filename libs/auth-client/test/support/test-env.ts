// Shared set-up of the integration tests: one stand-in auth service per file, and protected services
// started per test (closed after each) with a real logger writing nowhere (logging.integration.test.ts
// checks what the client logs).
import { Writable } from 'node:stream';
import { createLogger } from '@edd/logger';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startFakeAuth } from '../../src/testing';
import type { FakeAuth } from '../../src/testing';
import { startProtectedService } from './protected-service';
import type { ProtectedService } from './protected-service';

export const alice = { userId: 'uAlice00001', username: 'alice' };
export const root = { userId: 'uAdmin00001', username: 'admin', isAdmin: true };

export interface TestEnv {
  /** The stand-in auth service (available once beforeAll ran). */
  readonly auth: FakeAuth;
  service(overrides?: Partial<Parameters<typeof startProtectedService>[0]>): Promise<ProtectedService>;
}

export function useTestEnv(): TestEnv {
  let auth: FakeAuth | undefined;
  const logger = createLogger({
    service: 'auth-client-test',
    level: 'debug',
    stream: new Writable({
      write(_chunk, _enc, done) {
        done();
      },
    }),
  });
  const started: ProtectedService[] = [];
  const current = (): FakeAuth => {
    if (!auth) throw new Error('the fake auth service is not started yet');
    return auth;
  };

  beforeAll(async () => {
    auth = await startFakeAuth();
  });
  afterEach(async () => {
    current().delayMs = 0;
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await auth?.close();
  });

  return {
    get auth() {
      return current();
    },
    async service(overrides = {}) {
      const a = current();
      const svc = await startProtectedService({ authBaseUrl: a.url, serviceKey: a.serviceKey, logger, timeoutMs: 1_000, ...overrides });
      started.push(svc);
      return svc;
    },
  };
}
