import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redact } from './index';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('writes one JSON object per line with service, level and bound fields', () => {
    const { lines, stream } = capture();
    createLogger({ service: 'auth', stream }).child({ requestId: 'r1' }).info('login', { userId: 'u1' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', service: 'auth', msg: 'login', requestId: 'r1', userId: 'u1' });
  });

  it('drops lines below its level', () => {
    const { lines, stream } = capture();
    const log = createLogger({ service: 's', level: 'warn', stream });
    log.info('hidden');
    log.error('shown');
    expect(lines.map((l) => l['msg'])).toEqual(['shown']);
  });

  it('never writes credentials, however deep or however named', () => {
    const { lines, stream } = capture();
    createLogger({ service: 's', stream }).info('x', {
      password: 'hunter2',
      headers: { Authorization: 'Bearer abc', cookie: 'token=abc' },
      sessionToken: 'ecloud_1_abc',
      X_Service_Key: 'k',
      ok: 'visible',
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of ['hunter2', 'Bearer abc', 'token=abc', 'ecloud_1_abc', '"k"']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ ok: 'visible' });
  });

  it('masks credentials bound to a child logger, and lets a line override a bound field', () => {
    const { lines, stream } = capture();
    const child = createLogger({ service: 's', stream }).child({ sessionToken: 'bound-secret', requestId: 'r1' });
    child.info('x', { requestId: 'r2' });
    expect(JSON.stringify(lines[0])).not.toContain('bound-secret');
    expect(lines[0]).toMatchObject({ requestId: 'r2' });
  });

  it('masks credentials nested in arrays and beyond the inspected depth', () => {
    const { lines, stream } = capture();
    createLogger({ service: 's', stream }).info('x', {
      items: [{ password: 'in-array' }],
      a: { b: { c: { d: { e: { password: 'too-deep' } } } } },
    });
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('in-array');
    expect(text).not.toContain('too-deep');
  });

  it('masks API tokens and JWTs inside text, and keeps public ids readable', () => {
    const { lines, stream } = capture();
    const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl';
    createLogger({ service: 's', stream }).warn(`failed for ${jwt}`, {
      url: '/events?token=ecloud_AbC123xyz_abcdefghijklmnopqrstuvwxyz012345',
      error: new Error(`bad token ${jwt}`),
      tokenId: 'AbC123xyz',
      session_ids: ['s1'],
    });
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('abcdefghijklmnopqrstuvwxyz012345');
    expect(text).not.toContain('c2lnbmF0dXJl');
    expect(lines[0]).toMatchObject({ tokenId: 'AbC123xyz', session_ids: ['s1'] });
  });

  it('writes bytes as their size, never their content', () => {
    const { lines, stream } = capture();
    createLogger({ service: 's', stream }).info('x', { digest: Buffer.from('top-secret-bytes') });
    expect(lines[0]).toMatchObject({ digest: '[16 bytes]' });
  });

  it('still writes a line when a field cannot be serialised', () => {
    const { lines, stream } = capture();
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => createLogger({ service: 's', stream }).error('cyclic', { cyclic, big: 10n })).not.toThrow();
    expect(lines[0]).toMatchObject({ msg: 'cyclic', level: 'error' });
  });

  it('reduces errors to name and message', () => {
    expect(redact({ error: new TypeError('bad') })).toEqual({ error: { name: 'TypeError', message: 'bad' } });
  });
});
