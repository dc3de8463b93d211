import { describe, expect, it } from 'vitest';
import { FALLBACK_CONTENT_TYPE, parseMediaType, storedContentType } from './media-type';

describe('storedContentType', () => {
  it.each([
    ['text/plain', 'text/plain'],
    ['TEXT/Plain', 'text/plain'],
    ['text/plain; charset=utf-8', 'text/plain; charset=utf-8'],
    ['text/plain;charset=UTF-8', 'text/plain; charset=utf-8'],
    ['text/plain ; charset=utf-8 ', 'text/plain; charset=utf-8'],
    ['text/plain;\tcharset=utf-8', 'text/plain; charset=utf-8'],
    ['text/plain; CHARSET=ISO-8859-1', 'text/plain; charset=iso-8859-1'],
    ['text/plain; charset="utf-8"', 'text/plain; charset=utf-8'],
    ['text/plain; charset="utf\\-8"', 'text/plain; charset=utf-8'],
    ['text/plain; format=flowed; charset=utf-8', 'text/plain; charset=utf-8'],
    ['text/plain; charset=utf-8; charset=latin1', 'text/plain; charset=utf-8'],
    ['text/plain; name="a;b\\"c"; charset=utf-8', 'text/plain; charset=utf-8'],
    ['text/plain;', 'text/plain'],
    ['text/plain;;', 'text/plain'],
    ['text/plain; charset=', FALLBACK_CONTENT_TYPE],
    ['text/plain; charset=""', 'text/plain'],
    ['text/plain; charset="utf 8"', 'text/plain'],
    ['text/plain; charset=' + 'a'.repeat(41), 'text/plain'],
    ['text/html', 'text/html'],
    ['image/svg+xml', 'image/svg+xml'],
    [
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
    ['multipart/form-data; boundary=----x', 'multipart/form-data'],
    [' image/png', 'image/png'],
  ])('stores %j as %j', (declared, stored) => {
    expect(storedContentType(declared)).toBe(stored);
  });

  it.each([
    undefined,
    '',
    ' ',
    'text',
    'text/',
    '/plain',
    'text/plain/extra',
    '*/*',
    'text/*',
    '*/plain',
    'text /plain',
    'text/ plain',
    'te"xt/plain',
    'text/pla(in',
    '.text/plain',
    'text/-plain',
    'text/plain garbage',
    'text/plain; charset',
    'text/plain; charset utf-8',
    'text/plain; charset = utf-8',
    'text/plain; =utf-8',
    'text/plain; charset="utf-8',
    'text/plain; charset=utf-8"',
    'text/plain\r\nX-Injected: 1',
    'text/plain; charset=utf-8\r\nSet-Cookie: a=b',
    'text/plain\u0000',
    'text/plain; charset="a\u0000b"',
    'tëxt/plain',
    'text/plain; charset=ütf-8',
    `text/${'a'.repeat(128)}`,
    `${'a'.repeat(128)}/plain`,
    `text/plain; x=${'a'.repeat(300)}`,
  ])('stores %j as application/octet-stream', (declared) => {
    expect(storedContentType(declared)).toBe(FALLBACK_CONTENT_TYPE);
  });
});

describe('parseMediaType', () => {
  it('returns the parts in lowercase', () => {
    expect(parseMediaType('Image/SVG+XML; Charset=UTF-8')).toEqual({ type: 'image', subtype: 'svg+xml', charset: 'utf-8' });
    expect(parseMediaType('application/json')).toEqual({ type: 'application', subtype: 'json' });
  });

  it('accepts the longest restricted names and refuses longer ones', () => {
    expect(parseMediaType(`a/${'b'.repeat(127)}`)).toBeDefined();
    expect(parseMediaType(`a/${'b'.repeat(128)}`)).toBeUndefined();
  });
});
