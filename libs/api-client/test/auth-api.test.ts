import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, createAuthApi, createAuthInternalApi, hasErrorCode, isApiError, tokenIdOf } from '../src';
import { json, startFakeService, unreachableUrl, type FakeService, type Seen } from './support/fake-service';

// A real HTTP server on port 0 plays the auth service; each test sets how it answers.
type Responder = (seen: Seen, res: ServerResponse) => void;

let service: FakeService;
let baseUrl: string;
let responder: Responder;
let seen: Seen[];

beforeAll(async () => {
  service = await startFakeService((entry, res) => {
    seen.push(entry);
    responder(entry, res);
  });
  baseUrl = `${service.url}/`;
});
afterAll(() => service.close());
beforeEach(() => {
  seen = [];
  responder = (_seen, res) => json(res, 200, { status: 'ok' });
});

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('createAuthApi requests', () => {
  it('posts JSON to the contract path and returns the parsed body', async () => {
    responder = (_s, res) => json(res, 200, { user_id: 'u1', username: 'admin', display_name: 'Admin', is_admin: true, token: 'jwt' });
    const api = createAuthApi({ baseUrl });
    const result = await api.login({ username: 'admin', password: 'pw' });
    expect(result.user_id).toBe('u1');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/login' });
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({ username: 'admin', password: 'pw' });
  });

  it('sends a Bearer token and encodes path segments', async () => {
    const api = createAuthApi({ baseUrl, token: () => 'sess-jwt' });
    await api.revokeToken('a/b c');
    expect(seen[0]).toMatchObject({ method: 'DELETE', url: '/api/tokens/a%2Fb%20c' });
    expect(seen[0]?.headers.authorization).toBe('Bearer sess-jwt');
  });

  it('accepts an empty 200 / 204 body', async () => {
    responder = (_s, res) => res.writeHead(204).end();
    await expect(createAuthApi({ baseUrl }).changePassword({ current_password: 'a', new_password: 'b' })).resolves.toBeUndefined();
  });

  it('asks for a live ticket for one audience', async () => {
    responder = (_s, res) => json(res, 201, { ticket: 't-1', expires_at: '2026-01-01T00:00:30.000Z' });
    const ticket = await createAuthApi({ baseUrl, token: 'jwt' }).issueTicket('compute');
    expect(ticket.ticket).toBe('t-1');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/tickets', body: '{"audience":"compute"}' });
    expect(seen[0]?.headers.authorization).toBe('Bearer jwt');
  });

  it('sends the service key and the token being checked on internal calls', async () => {
    responder = (_s, res) => json(res, 200, { valid: true, token_id: 'Tok123', scopes: {} });
    const internal = createAuthInternalApi({ baseUrl, serviceKey: 'k3y' });
    const result = await internal.checkToken('ecloud_Tok123_se_cr-et');
    expect(result.valid).toBe(true);
    expect(seen[0]?.url).toBe('/internal/tokens/Tok123/check');
    expect(seen[0]?.headers['x-service-key']).toBe('k3y');
    expect(seen[0]?.headers.authorization).toBe('Bearer ecloud_Tok123_se_cr-et');
  });
});

describe('error mapping', () => {
  it('turns {"error": ..., "code": ...} into ApiError with the status and the code', async () => {
    responder = (_s, res) => json(res, 401, { error: 'invalid username or password', code: 'invalid_login' });
    const error = await caught(createAuthApi({ baseUrl }).login({ username: 'x', password: 'y' }));
    expect(error.status).toBe(401);
    expect(error.message).toBe('invalid username or password');
    expect(error.code).toBe('invalid_login');
    expect(error.details).toEqual([]);
    expect(hasErrorCode(error, 'invalid_login')).toBe(true);
    expect(hasErrorCode(error, 'unauthenticated')).toBe(false);
    expect(hasErrorCode(new Error('invalid_login'), 'invalid_login')).toBe(false);
  });

  it('keeps the fields that failed validation, ignoring malformed entries', async () => {
    responder = (_s, res) =>
      json(res, 400, {
        error: 'new_password: password must be at least 8 characters',
        code: 'weak_password',
        details: [{ path: 'new_password', message: 'password must be at least 8 characters' }, { path: 3 }, 'junk'],
      });
    const error = await caught(createAuthApi({ baseUrl }).changePassword({ current_password: 'a', new_password: 'b' }));
    expect(error).toMatchObject({ status: 400, code: 'weak_password' });
    expect(error.details).toEqual([{ path: 'new_password', message: 'password must be at least 8 characters' }]);
  });

  it('passes on a code this client does not know yet', async () => {
    responder = (_s, res) => json(res, 409, { error: 'namespace is not empty', code: 'namespace_not_empty' });
    const error = await caught(createAuthApi({ baseUrl }).session());
    expect(error).toMatchObject({ status: 409, code: 'namespace_not_empty', message: 'namespace is not empty' });
  });

  it('keeps Retry-After on 429', async () => {
    responder = (_s, res) => json(res, 429, { error: 'too many attempts' }, { 'retry-after': '42' });
    const error = await caught(createAuthApi({ baseUrl }).login({ username: 'x', password: 'y' }));
    expect(error).toMatchObject({ status: 429, message: 'too many attempts', retryAfterSeconds: 42, code: undefined });
  });

  it('falls back to the status line when the body is not the JSON error shape', async () => {
    responder = (_s, res) => res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' }).end('<h1>oops</h1>');
    const error = await caught(createAuthApi({ baseUrl }).session());
    expect(error).toMatchObject({ status: 502, message: '502 Bad Gateway', code: undefined });
    expect(isApiError(error)).toBe(true);

    responder = (_s, res) => json(res, 500, { message: 'not our shape' });
    expect((await caught(createAuthApi({ baseUrl }).session())).message).toBe('500 Internal Server Error');
  });

  it('turns a 2xx answer that is not JSON into an ApiError naming the request', async () => {
    responder = (_s, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><div id="root"></div>');
    };
    const error = await caught(createAuthApi({ baseUrl }).session());
    expect(error.status).toBe(200);
    expect(error.message).toBe(`the service at ${baseUrl.replace(/\/$/, '')} answered GET /api/session with something that is not JSON`);
  });

  it('reports an unreachable service as status 0', async () => {
    const unreachable = await unreachableUrl();
    const error = await caught(createAuthApi({ baseUrl: unreachable }).session());
    expect(error.status).toBe(0);
    expect(error.code).toBeUndefined();
    expect(error.message).toContain(new URL(unreachable).host);
  });
});

describe('tokenIdOf', () => {
  it('extracts the public id and refuses anything else', () => {
    expect(tokenIdOf('ecloud_abcDEF123_xyz_-')).toBe('abcDEF123');
    expect(() => tokenIdOf('ecloud_abc-def_xyz')).toThrow();
    expect(() => tokenIdOf('eyJhbGciOi.jwt')).toThrow();
  });
});
