import { describe, expect, it } from 'vitest';
import { latin1Slice, latin1Write, utf8Write } from './buffer-latin1';

describe('buffer-latin1', () => {
  it('writes like Buffer#write with the encoding named', () => {
    for (const text of ['', 'GET / HTTP/1.1\r\n', 'h\u00e9\u00ff\u0000', '\u20ac\ud800x']) {
      for (const encoding of ['latin1', 'utf8'] as const) {
        const write = encoding === 'latin1' ? latin1Write : utf8Write;
        const ours = Buffer.alloc(16, 0xaa);
        const theirs = Buffer.alloc(16, 0xaa);
        expect(write(ours, text, 3)).toBe(theirs.write(text, 3, encoding));
        expect(ours).toEqual(theirs);
      }
    }
  });

  it('stops at the end of the buffer (utf8: at a whole character) and rejects an offset beyond it', () => {
    const buf = Buffer.alloc(4);
    expect(latin1Write(buf, 'abcdef', 1)).toBe(3);
    expect(buf.toString('latin1')).toBe('\u0000abc');
    expect(utf8Write(buf, 'a\u00e9\u00e9', 1)).toBe(3);
    expect(buf.subarray(1).toString('utf8')).toBe('a\u00e9');
    expect(latin1Write(buf, 'x', 4)).toBe(0);
    expect(() => latin1Write(buf, 'x', 5)).toThrow(RangeError);
  });

  it('slices bytes into one character each', () => {
    const buf = Buffer.from([0x48, 0xe9, 0x00, 0xff, 0x0d]);
    expect(latin1Slice(buf, 0, 5)).toBe(buf.toString('latin1'));
    expect(latin1Slice(buf, 1, 4)).toBe('\u00e9\u0000\u00ff');
    expect(latin1Slice(buf, 2, 2)).toBe('');
  });
});
