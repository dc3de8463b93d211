import { Writable } from 'node:stream';
import { errorBodySchema, errorCatalogue, type ErrorBody } from '@edd/api-contracts';
import { createLogger } from '@edd/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServiceApp, HttpError, parseBody, serve, type RunningServer } from './index';

const logger = createLogger({
  service: 'error-test',
  stream: new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  }),
});

let running: RunningServer;
let base: string;

beforeAll(async () => {
  const app = createServiceApp({ service: 'error-test', logger, domain: 'cloud.localhost', bodyLimit: '1kb' }, (app) => {
    app.post('/users', (req, res) => {
      res.json(parseBody(z.object({ username: z.string().min(3), age: z.number().int() }), req.body));
    });
    app.get('/taken', () => {
      throw new HttpError('username_taken');
    });
    app.get('/worded', () => {
      throw new HttpError('not_found', 'user not found');
    });
    app.get('/headers', () => {
      throw new HttpError('unavailable', undefined, { headers: { 'Retry-After': '3' } });
    });
    app.get('/crash', () => {
      throw new TypeError('boom');
    });
  });
  running = await serve(app, { port: 0, host: '127.0.0.1', logger, handleSignals: false, graceMs: 500 });
  base = `http://127.0.0.1:${running.port}`;
});
afterAll(() => running.close());

/** The status and the body, which must always be a valid error body of the catalogue. */
async function failure(path: string, init?: RequestInit): Promise<{ status: number; body: ErrorBody; headers: Headers }> {
  const res = await fetch(`${base}${path}`, init);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = errorBodySchema.parse(await res.json());
  expect(res.status, `${body.code} answers with its catalogue status`).toBe(errorCatalogue[body.code].status);
  return { status: res.status, body, headers: res.headers };
}

const post = (body: string, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body,
});

describe('every error answer carries a catalogue code', () => {
  it('a service error: its code, its status, the default or its own wording', async () => {
    expect((await failure('/taken')).body).toEqual({ error: 'username already taken', code: 'username_taken' });
    expect((await failure('/worded')).body).toEqual({ error: 'user not found', code: 'not_found' });
    const withHeaders = await failure('/headers');
    expect(withHeaders.status).toBe(503);
    expect(withHeaders.headers.get('retry-after')).toBe('3');
  });

  it('a validation failure: invalid_request, with every failing field in details', async () => {
    const { status, body } = await failure('/users', post('{"username":"ab","age":"x"}'));
    expect(status).toBe(400);
    expect(body.code).toBe('invalid_request');
    expect(body.error).toMatch(/^username: .*; age: /);
    expect(body.details?.map((detail) => detail.path)).toEqual(['username', 'age']);
    const whole = await failure('/users', post('[]'));
    expect(whole.body.details?.[0]?.path).toBe('');
  });

  it("body-parser's refusals: malformed JSON, too large, unsupported charset", async () => {
    expect((await failure('/users', post('{"username":'))).body.code).toBe('invalid_request');
    expect((await failure('/users', post(JSON.stringify({ username: 'x'.repeat(2000) })))).body.code).toBe('payload_too_large');
    const charset = await failure('/users', post('{}', { 'Content-Type': 'application/json; charset=klingon' }));
    expect(charset.body).toEqual({ error: 'unsupported body encoding', code: 'unsupported_media_type' });
  });

  it('no route: not_found; an unexpected throw: internal, without its message', async () => {
    expect((await failure('/nowhere')).body).toEqual({ error: 'not found', code: 'not_found' });
    expect((await failure('/crash')).body).toEqual({ error: 'internal server error', code: 'internal' });
  });
});
