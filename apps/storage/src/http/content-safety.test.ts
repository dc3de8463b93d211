import { describe, expect, it } from 'vitest';
import { dispositionFor, fileResponseHeaders, FILE_SECURITY_HEADERS, isActiveContentType } from './content-safety';
import { parseMediaType } from './media-type';

describe('dispositionFor', () => {
  it.each([
    // passive: shown inline
    'text/plain',
    'text/plain; charset=utf-8',
    'text/csv',
    'text/markdown',
    'text/css',
    'application/json',
    'image/png',
    'image/jpeg',
    'image/gif',
    'image/webp',
    'image/avif',
    'audio/mpeg',
    'audio/ogg',
    'video/mp4',
    'video/webm',
    // active: inline, only ever under CSP sandbox
    'text/html',
    'TEXT/HTML; charset=utf-8',
    'application/xhtml+xml',
    'image/svg+xml',
    'text/xml',
    'application/xml',
    'application/rss+xml',
    'application/mathml+xml',
    'application/xslt+xml',
    'text/xsl',
    'text/javascript',
    'application/javascript',
    'application/x-javascript',
    'text/ecmascript',
    'text/jscript',
    'text/javascript1.5',
  ])('serves %s inline', (type) => {
    expect(dispositionFor(type)).toBe('inline');
    expect(dispositionFor(type, true)).toBe('attachment');
  });

  it.each([
    'application/pdf',
    'application/octet-stream',
    'application/zip',
    'application/x-msdownload',
    'application/x-shockwave-flash',
    'application/wasm',
    'multipart/x-mixed-replace',
    'text/x-component',
    'text/cache-manifest',
    'image/x-unknown',
    'font/woff2',
    'x-evil/html',
    'not a type',
    '',
    'text/html\r\nX: y',
  ])('serves %j as an attachment', (type) => {
    expect(dispositionFor(type)).toBe('attachment');
  });
});

describe('isActiveContentType', () => {
  it.each([
    ['text/html', true],
    ['image/svg+xml', true],
    ['application/vnd.foo+xml', true],
    ['text/xml', true],
    ['application/javascript', true],
    ['text/plain', false],
    ['application/json', false],
    ['application/xml-dtd', false],
    ['image/png', false],
  ])('%s → %s', (type, active) => {
    const media = parseMediaType(type);
    expect(media && isActiveContentType(media)).toBe(active);
  });
});

describe('fileResponseHeaders', () => {
  it('puts nosniff, CSP sandbox and no-referrer on inline responses', () => {
    expect(fileResponseHeaders({ contentType: 'text/html; charset=utf-8', path: 'site/index.html' })).toEqual({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Disposition': 'inline; filename="index.html"',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': 'sandbox',
      'Referrer-Policy': 'no-referrer',
    });
  });

  it('puts them on attachments too', () => {
    const headers = fileResponseHeaders({ contentType: 'application/zip', path: 'a.zip' });
    expect(headers['Content-Disposition']).toBe('attachment; filename="a.zip"');
    expect(headers).toMatchObject(FILE_SECURITY_HEADERS);
  });

  it('never lets an active type out without the sandbox, whatever the type looks like', () => {
    for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'text/javascript', 'TEXT/HTML']) {
      const headers = fileResponseHeaders({ contentType: type, path: 'x' });
      expect(headers['Content-Security-Policy']).toBe('sandbox');
      expect(headers['X-Content-Type-Options']).toBe('nosniff');
    }
  });

  it('sends a stored type that is not a valid media type as application/octet-stream, attached', () => {
    const headers = fileResponseHeaders({ contentType: 'text/html\r\nSet-Cookie: a=b', path: 'x.html' });
    expect(headers['Content-Type']).toBe('application/octet-stream');
    expect(headers['Content-Disposition']).toBe('attachment; filename="x.html"');
  });

  it('normalises the stored type it sends', () => {
    expect(fileResponseHeaders({ contentType: 'Text/Plain; Foo=bar; Charset=UTF-8', path: 'x' })['Content-Type']).toBe(
      'text/plain; charset=utf-8',
    );
  });

  it('asks for an attachment on the download route', () => {
    expect(fileResponseHeaders({ contentType: 'image/png', path: 'p.png' }, true)['Content-Disposition']).toBe(
      'attachment; filename="p.png"',
    );
  });
});
