// Shared set-up of the integration tests: one stand-in auth service per file, protected services
// started per test (closed after each), and a logger whose lines are kept to check nothing secret leaks.
import { Writable } from 'node:stream';
import { createLogger } from '@edd/logger';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startFakeAuth } from '../../src/testing';
import type { FakeAuth } from '../../src/testing';
import { startProtectedService } from './protected-service';
import type { ProtectedService } from './protected-service';

export const alice = { userId: 'uAlice00001', username: 'alice' };
export const root = { userId: 'uAdmin00001', username: 'admin', isAdmin: true };

export interface TestEnv {
  /** The stand-in auth service (available once beforeAll ran). */
  readonly auth: FakeAuth;
  logLines: string[];
  service(overrides?: Partial<Parameters<typeof startProtectedService>[0]>): Promise<ProtectedService>;
}

export function useTestEnv(): TestEnv {
  let auth: FakeAuth | undefined;
  const logLines: string[] = [];
  const logger = createLogger({
    service: 'auth-client-test',
    level: 'debug',
    stream: new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
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
    logLines,
    async service(overrides = {}) {
      const a = current();
      const svc = await startProtectedService({ authBaseUrl: a.url, serviceKey: a.serviceKey, logger, timeoutMs: 1_000, ...overrides });
      started.push(svc);
      return svc;
    },
  };
}

/** Something was logged, and none of it is an API token or a JWT. */
export function expectNoCredentialLogged(logLines: readonly string[]): void {
  expect(logLines.length).toBeGreaterThan(0);
  const all = logLines.join('');
  expect(all).not.toMatch(/ecloud_[0-9A-Za-z]+_/);
  expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]+\.eyJ/);
}
