import { describe, expect, it } from 'vitest';
import { ChunkedScanner } from '../http/chunked-scanner';
import { parseRequestHead } from '../http/request-head';
import { parseResponseHead } from '../http/response-head';
import { classify } from '../net/detect';

const head = (text: string) => {
  const buf = Buffer.from(text, 'latin1');
  return parseRequestHead(buf, buf.indexOf('\r\n\r\n'));
};

describe('chunked scanner', () => {
  const body = '4\r\nWiki\r\n5;a=b\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nExpires: never\r\n\r\n';

  it('finds the end of the message in one piece, with bytes after it', () => {
    const s = new ChunkedScanner();
    const buf = Buffer.from(`${body}GET / HTTP/1.1\r\n`, 'latin1');
    expect(s.scan(buf, 0)).toBe(body.length);
    expect(s.done).toBe(true);
  });

  it('finds it when fed one byte at a time', () => {
    const s = new ChunkedScanner();
    const buf = Buffer.from(body, 'latin1');
    for (let i = 0; i < buf.length; i++) {
      const end = s.scan(buf.subarray(i, i + 1), 0);
      if (i < buf.length - 1) expect(s.done).toBe(false);
      else expect(end).toBe(1);
    }
    expect(s.done).toBe(true);
  });

  it('rejects malformed framing', () => {
    for (const bad of ['x\r\n', '4\r\nWikiXX', '4\nWiki\r\n', `${'f'.repeat(20)}\r\n`]) {
      expect(new ChunkedScanner().scan(Buffer.from(bad, 'latin1'), 0), bad).toBe(-1);
    }
  });
});

describe('request head parser', () => {
  it('builds the forwarded header block without hop-by-hop fields', () => {
    const req = head(
      'POST /a/b?c=d HTTP/1.1\r\nHost: Storage.Cloud.Localhost:18080\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: 5\r\n' +
        'Transfer-Encoding: chunked\r\nAccept: */*\r\nCookie: a=1; token=x\r\nX-Forwarded-For: 1.2.3.4\r\n\r\n',
    );
    expect(req).toMatchObject({
      method: 'POST',
      path: '/a/b',
      query: '?c=d',
      host: 'storage.cloud.localhost',
      hostHeader: 'Storage.Cloud.Localhost:18080',
      chunked: true,
      contentLength: -1,
      close: false,
      credentialed: true,
      forwardedFor: '1.2.3.4',
      lines: 'Host: Storage.Cloud.Localhost:18080\r\nAccept: */*\r\nCookie: a=1; token=x\r\n',
    });
  });

  it('reduces absolute-form to origin-form with the authority as host', () => {
    expect(head('GET http://cloud.localhost:18080/x?y HTTP/1.1\r\nHost: other\r\n\r\n')).toMatchObject({
      host: 'cloud.localhost',
      target: '/x?y',
    });
  });

  it('rejects smuggling shapes', () => {
    expect(head('GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n')).toBe(501);
    expect(head('GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n')).toBe(400);
    expect(head('GET / HTTP/1.1\r\nHost: a\r\nX: a\nb\r\n\r\n')).toBe(400);
    expect(head('GET / HTTP/2.0\r\nHost: a\r\n\r\n')).toBe(400);
    expect(head('FOO / HTTP/1.1\r\nHost: a\r\n\r\n')).toBe(400);
  });
});

describe('response head parser', () => {
  it('drops hop-by-hop fields and reports framing and cache facts', () => {
    const buf = Buffer.from(
      'HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=b\r\nCache-Control: public\r\nX-Request-ID: up\r\nVary: Cookie\r\n\r\n',
      'latin1',
    );
    const res = parseResponseHead(buf, buf.indexOf('\r\n\r\n'));
    expect(res).toMatchObject({
      status: 200,
      close: true,
      chunked: true,
      transferEncoding: 'chunked',
      setCookie: true,
      varyUnsupported: true,
      lines: 'Set-Cookie: a=b\r\nCache-Control: public\r\nVary: Cookie\r\n',
    });
  });
});

describe('protocol detection', () => {
  it('classifies first bytes and waits when undecided', () => {
    expect(classify(Buffer.from([0x16]))).toBe('tls');
    expect(classify(Buffer.from('G'))).toBe('more');
    expect(classify(Buffer.from('GET'))).toBe('more');
    expect(classify(Buffer.from('GET '))).toBe('http');
    expect(classify(Buffer.from('OPTIONS /'))).toBe('http');
    expect(classify(Buffer.from('SS'))).toBe('more');
    expect(classify(Buffer.from('SSH-2.0'))).toBe('ssh');
    expect(classify(Buffer.from('GEX'))).toBe('unknown');
    expect(classify(Buffer.from('\r\n'))).toBe('unknown');
  });
});

describe('header injection', () => {
  it('refuses bare CR/LF inside request and response heads', () => {
    expect(head('GET / HTTP/1.1\r\nHost: a\r\nX: 1\rY: 2\r\n\r\n')).toBe(400);
    expect(head('GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n')).toBe(400);
    const buf = Buffer.from('HTTP/1.1 200 OK\r\nX: a\nSet-Cookie: evil=1\r\nContent-Length: 0\r\n\r\n', 'latin1');
    expect(parseResponseHead(buf, buf.indexOf('\r\n\r\n'))).toBeUndefined();
  });
});
