import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { findCredential, readCookie } from '../src/index';

const request = (headers: Record<string, string>, url = '/x'): Request => ({ headers, url, originalUrl: url }) as unknown as Request;

describe('readCookie', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['token=abc', 'abc'],
    ['a=1; token=abc; b=2', 'abc'],
    ['a=1;token=abc', 'abc'],
    ['token="abc"', 'abc'],
    ['xtoken=abc; tokenx=def', undefined],
    ['token=first; token=second', 'first'],
    ['token=a=b', 'a=b'],
    ['token', undefined],
    ['token=', ''],
    ['  token  =  abc  ', 'abc'],
  ])('%j -> %j', (header, expected) => {
    expect(readCookie(header, 'token')).toBe(expected);
  });
});

describe('findCredential', () => {
  it('finds nothing on a bare request', () => {
    expect(findCredential(request({}))).toEqual({ kind: 'none' });
  });

  it.each([['Basic dXNlcjpwYXNz'], ['Bearer'], ['Bearer '], ['Bearer a b'], ['Token abc']])('refuses Authorization %j', (authorization) => {
    expect(findCredential(request({ authorization }))).toMatchObject({ kind: 'malformed', source: 'header' });
  });

  it('reads a Bearer header, the scheme case-insensitively', () => {
    expect(findCredential(request({ authorization: 'bearer abc.def.ghi' }))).toEqual({
      kind: 'found',
      token: 'abc.def.ghi',
      source: 'header',
    });
  });

  it('prefers the header over the cookie and the query', () => {
    const req = request({ authorization: 'Bearer fromheader', cookie: 'token=fromcookie' }, '/x?token=fromquery');
    expect(findCredential(req)).toMatchObject({ token: 'fromheader', source: 'header' });
  });

  it('prefers the cookie over the query', () => {
    expect(findCredential(request({ cookie: 'theme=dark; token=fromcookie' }, '/x?token=q'))).toMatchObject({
      token: 'fromcookie',
      source: 'cookie',
    });
  });

  it('reads ?token= (EventSource, WebSocket)', () => {
    expect(findCredential(request({}, '/events?a=1&token=abc%2Bdef'))).toEqual({ kind: 'found', token: 'abc+def', source: 'query' });
  });

  it('refuses two ?token= parameters and an empty one', () => {
    expect(findCredential(request({}, '/x?token=a&token=b'))).toMatchObject({ kind: 'malformed', source: 'query' });
    expect(findCredential(request({}, '/x?token='))).toMatchObject({ kind: 'malformed', source: 'query' });
  });

  it('refuses an oversized credential', () => {
    expect(findCredential(request({ authorization: `Bearer ${'a'.repeat(5000)}` }))).toMatchObject({ kind: 'malformed' });
  });
});
