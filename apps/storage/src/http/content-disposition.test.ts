import { validateHeaderValue } from 'node:http';
import { describe, expect, it } from 'vitest';
import { contentDisposition } from './content-disposition';

describe('contentDisposition', () => {
  it.each([
    ['report.pdf', 'attachment; filename="report.pdf"'],
    ['folder/sub/report.pdf', 'attachment; filename="report.pdf"'],
    ['name with spaces (1).txt', 'attachment; filename="name with spaces (1).txt"'],
    ["it's;fine=yes.txt", 'attachment; filename="it\'s;fine=yes.txt"'],
    ['café.txt', `attachment; filename="caf_.txt"; filename*=UTF-8''caf%C3%A9.txt`],
    ['日本.txt', `attachment; filename="__.txt"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt`],
    ['🎉.png', `attachment; filename="_.png"; filename*=UTF-8''%F0%9F%8E%89.png`],
    ['say "hi".txt', `attachment; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt`],
    ['a\\b.txt', `attachment; filename="a_b.txt"; filename*=UTF-8''a%5Cb.txt`],
    ['100%.txt', `attachment; filename="100_.txt"; filename*=UTF-8''100%25.txt`],
    ['%41.txt', `attachment; filename="_41.txt"; filename*=UTF-8''%2541.txt`],
    ["a'b*(c).txt", `attachment; filename="a'b*(c).txt"`],
    ["é'(*).txt", `attachment; filename="_'(*).txt"; filename*=UTF-8''%C3%A9%27%28%2A%29.txt`],
  ])('names %j', (path, expected) => {
    expect(contentDisposition('attachment', path)).toBe(expected);
  });

  it('writes inline the same way', () => {
    expect(contentDisposition('inline', 'a/b.png')).toBe('inline; filename="b.png"');
  });

  it.each([
    ['evil\r\nSet-Cookie: a=b.txt', 'attachment; filename="evilSet-Cookie: a=b.txt"'],
    ['evil\nX: y', 'attachment; filename="evilX: y"'],
    ['a\u0000b', 'attachment; filename="ab"'],
    ['a\u0085b\u009bc', 'attachment; filename="abc"'],
    ['invoice\u202efdp.exe', 'attachment; filename="invoicefdp.exe"'],
    ['a\ud800b', 'attachment; filename="ab"'],
    ['x"; filename="evil.html', `attachment; filename="x_; filename=_evil.html"; filename*=UTF-8''x%22%3B%20filename%3D%22evil.html`],
    ['', 'attachment; filename="download"'],
    ['folder/', 'attachment; filename="download"'],
    ['\r\n', 'attachment; filename="download"'],
    ['   ', 'attachment; filename="download"'],
    ['..', 'attachment; filename="download"'],
  ])('keeps the hostile name %j inside its parameter', (path, expected) => {
    const header = contentDisposition('attachment', path);
    expect(header).toBe(expected);
    expect(() => validateHeaderValue('Content-Disposition', header)).not.toThrow();
  });

  it('only ever writes visible ASCII, whatever the name', () => {
    const names = ['\u00ff\u0100\uffff', 'a\tb', '\u{10ffff}', 'x'.repeat(300), '\u2028\u2029', 'ß/ẞ'];
    for (const name of names) expect(contentDisposition('attachment', name)).toMatch(/^[\x20-\x7e]+$/);
  });

  it('decodes back to the original name (RFC 8187)', () => {
    const name = 'Résumé – final (v2) 🎉.pdf';
    const header = contentDisposition('attachment', name);
    const encoded = /filename\*=UTF-8''(.+)$/.exec(header)?.[1] ?? '';
    expect(decodeURIComponent(encoded)).toBe(name);
  });
});
