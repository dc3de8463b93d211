// The hooks every libs/live test file needs, registered in one place instead of repeated in each file: the stand-in
// auth service and a bearer of alice's (once per file, as before), and the live services a test starts (each closed
// after that test, so no test sees another's service).
import { startFakeAuth, type FakeAuth } from '@edd/auth-client/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startLiveService, type LiveService, type LiveServiceOptions } from './live-service';

export const alice = { userId: 'uAlice00001', username: 'alice' };

export interface LiveTestSession {
  /** The stand-in auth service, shared by the file's tests. */
  readonly auth: FakeAuth;
  /** `authorization: Bearer <token>` of one session of alice's, issued once per file. */
  readonly bearer: Record<string, string>;
  /** Starts a live service against `auth` (or `options.auth`); it is closed after the current test. */
  start(options?: LiveServiceOptions & { auth?: FakeAuth }): Promise<LiveService>;
}

/** Call once at the top of a test file (it registers beforeAll/afterEach/afterAll there). */
export function liveTestSession(): LiveTestSession {
  let auth: FakeAuth | undefined;
  let bearer: Record<string, string> | undefined;
  const started: LiveService[] = [];
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('liveTestSession: used before its beforeAll ran');
    return value;
  };

  beforeAll(async () => {
    auth = await startFakeAuth();
    bearer = { authorization: `Bearer ${(await auth.issueSession(alice)).token}` };
  });
  afterEach(async () => {
    for (const svc of started.splice(0)) await svc.close();
  });
  afterAll(async () => {
    await auth?.close();
  });

  return {
    get auth() {
      return ready(auth);
    },
    get bearer() {
      return ready(bearer);
    },
    async start({ auth: against, ...options } = {}) {
      const svc = await startLiveService(against ?? ready(auth), options);
      started.push(svc);
      return svc;
    },
  };
}
