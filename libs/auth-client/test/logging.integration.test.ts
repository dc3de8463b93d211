// What the auth client hands its logger when it cannot check a credential: the source and public ids,
// never the credential. Asserted on the arguments of the logger calls, before @edd/logger masks anything
// (its own tests cover the mask): a test of the masked output could not fail for a token the mask knows.
import type { LogFields, Logger } from '@edd/logger';
import { describe, expect, it } from 'vitest';
import { call } from './support/protected-service';
import { alice, useTestEnv } from './support/test-env';

const env = useTestEnv();

interface LogCall {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields: LogFields;
}

/** A Logger that keeps every call as made: message and fields exactly as the client passed them. */
function recordingLogger(calls: LogCall[], bound: LogFields = {}): Logger {
  const at =
    (level: LogCall['level']) =>
    (msg: string, fields: LogFields = {}) =>
      void calls.push({ level, msg, fields: { ...bound, ...fields } });
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => recordingLogger(calls, { ...bound, ...more }),
  };
}

/** Everything the calls carry, errors included (their message and stack), as one text to search. */
const everything = (calls: readonly LogCall[]): string =>
  JSON.stringify(calls, (_key, value: unknown) => (value instanceof Error ? { message: value.message, stack: value.stack } : value));

describe('what the auth client logs about a credential it cannot check', () => {
  it('a token check the auth service refuses (wrong service key): the token id, not the token or its secret', async () => {
    const calls: LogCall[] = [];
    const svc = await env.service({ serviceKey: 'not-the-key', logger: recordingLogger(calls) });
    const { token, id } = env.auth.createToken(alice, { [`storage.${alice.userId}`]: ['read'] });
    expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(503);

    expect(calls).toContainEqual(expect.objectContaining({ level: 'error', fields: { tokenId: id, status: 401 } }));
    const logged = everything(calls);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain(token.slice(`ecloud_${id}_`.length)); // the secret alone
  });

  it('an unreachable auth service: the source of the credential, not the API token, session JWT or cookie', async () => {
    const calls: LogCall[] = [];
    const svc = await env.service({ authBaseUrl: 'http://127.0.0.1:1', timeoutMs: 500, logger: recordingLogger(calls) });
    const { token } = env.auth.createToken(alice, { [`storage.${alice.userId}`]: ['read'] });
    const session = await env.auth.issueSession(alice);
    expect((await call(`${svc.url}/me`, { bearer: token })).status).toBe(503);
    expect((await call(`${svc.url}/me`, { bearer: session.token })).status).toBe(503);
    expect((await call(`${svc.url}/me`, { cookie: `token=${session.token}` })).status).toBe(503);

    const unavailable = calls.filter((c) => c.msg === 'auth-client: cannot verify credential').map((c) => c.fields);
    expect(unavailable).toEqual([{ source: 'header' }, { source: 'header' }, { source: 'cookie' }]);
    const logged = everything(calls);
    for (const secret of [token, session.token, ...session.token.split('.')]) expect(logged).not.toContain(secret);
  });
});
