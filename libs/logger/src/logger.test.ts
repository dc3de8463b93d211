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

  it('reduces errors to name and message', () => {
    expect(redact({ error: new TypeError('bad') })).toEqual({ error: { name: 'TypeError', message: 'bad' } });
  });
});
