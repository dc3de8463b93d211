import { HttpError } from '@edd/http';
import { describe, expect, it } from 'vitest';
import {
  checkFilePath,
  checkNamespaceName,
  MAX_FILE_PATH_BYTES,
  parseFilePath,
  parseNamespaceName,
  RESERVED_NAMESPACE_NAMES,
} from './names';

describe('checkNamespaceName', () => {
  it.each(['a', '0', 'photos', 'my-files', 'my_files', 'v1.2', 'a.b.c', 'a-', 'a_', '9lives', 'a'.repeat(63), 'a-.b', 'x._y'])(
    'accepts %s',
    (name) => {
      expect(checkNamespaceName(name)).toEqual({ ok: true, value: name });
    },
  );

  it.each([
    ['', 'required'],
    [undefined, 'required'],
    [42, 'required'],
    [['a'], 'required'],
    ['a'.repeat(64), 'longer than 63'],
    ['Photos', 'lowercase'],
    ['PHOTOS', 'lowercase'],
    ['.hidden', 'start with'],
    ['-dash', 'start with'],
    ['_under', 'start with'],
    ['a/b', 'contain only'],
    ['a b', 'contain only'],
    ['a\\b', 'contain only'],
    ['a\u0000', 'contain only'],
    ['a\n', 'contain only'],
    ['café', 'contain only'],
    ['ａ', 'contain only'],
    ['a%2e', 'contain only'],
    ['a..b', '".."'],
    ['a...', '".."'],
    ['photos.', 'end with "."'],
    ['download', 'reserved'],
    ['namespaces', 'reserved'],
  ])('refuses %j (%s)', (name, problem) => {
    const check = checkNamespaceName(name);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toContain(problem);
  });

  it('reserves every word the service routes under /storage/', () => {
    for (const word of ['namespaces', 'files', 'download', 'shares', 'uploads', 'admin', 's'])
      expect(RESERVED_NAMESPACE_NAMES.has(word)).toBe(true);
  });
});

describe('checkFilePath', () => {
  it.each([
    'a.txt',
    'a/b/c.txt',
    '.hidden',
    'folder/.env',
    '..a',
    'a..',
    '...',
    'a/...b/c',
    'name with spaces.txt',
    ' leading space',
    'émoji 🎉.png',
    '日本語/ファイル.txt',
    'a%2F..%2Fb',
    'x'.repeat(255),
    `${'d'.repeat(200)}/${'e'.repeat(200)}/${'f'.repeat(200)}`,
    'قائمة.txt',
    'a\u200fb',
  ])('accepts %j unchanged', (path) => {
    expect(checkFilePath(path)).toEqual({ ok: true, value: path });
  });

  it.each([
    ['', 'required'],
    [null, 'required'],
    [['a', 'b'], 'required'],
    ['..', '".." segment'],
    ['.', '"." segment'],
    ['../etc/passwd', '".." segment'],
    ['a/../../b', '".." segment'],
    ['a/..', '".." segment'],
    ['a/./b', '"." segment'],
    ['/etc/passwd', 'start with "/"'],
    ['/', 'start with "/"'],
    ['a/', 'end with "/"'],
    ['a//b', 'empty folder name'],
    ['a\\b', 'backslash'],
    ['..\\..\\windows', 'backslash'],
    ['a\u0000b', 'NUL character (U+0000)'],
    ['a.txt\u0000.png', 'NUL'],
    ['a\nb', 'control character (U+000A)'],
    ['a\rb', 'control character (U+000D)'],
    ['a\tb', 'control character (U+0009)'],
    ['\u001b[31mred', 'control character (U+001B)'],
    ['a\u007fb', 'control character (U+007F)'],
    ['a\u0085b', 'control character (U+0085)'],
    ['a\u009bb', 'control character (U+009B)'],
    ['invoice\u202efdp.exe', 'bidirectional text control (U+202E)'],
    ['a\u2066b', 'bidirectional text control (U+2066)'],
    ['a\ud800b', 'lone surrogate'],
    ['a\udfffb', 'lone surrogate'],
    ['x'.repeat(256), '256 bytes long; the limit is 255'],
    ['é'.repeat(128), '256 bytes long; the limit is 255'],
  ])('refuses %j (%s)', (path, problem) => {
    const check = checkFilePath(path);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toContain(problem);
  });

  it('counts the 1,024-byte limit in UTF-8 bytes, not characters', () => {
    const segment = 'é'.repeat(127); // 254 bytes
    const fits = [segment, segment, segment, segment, 'abcd'].join('/'); // 4*254 + 4 + 4 slashes = 1,024
    expect(Buffer.byteLength(fits)).toBe(MAX_FILE_PATH_BYTES);
    expect(checkFilePath(fits).ok).toBe(true);
    const over = `${fits}e`;
    expect(over.length).toBeLessThan(MAX_FILE_PATH_BYTES);
    expect(checkFilePath(over)).toEqual({ ok: false, message: 'file path is 1025 bytes long; the limit is 1024 bytes (UTF-8)' });
  });

  it('normalises to NFC, so the same name typed on macOS and on Windows is one file', () => {
    const decomposed = 'cafe\u0301/re\u0301sume\u0301.txt';
    const composed = 'café/résumé.txt';
    expect(decomposed).not.toBe(composed);
    expect(checkFilePath(decomposed)).toEqual({ ok: true, value: composed });
    expect(checkFilePath(composed)).toEqual({ ok: true, value: composed });
  });

  it('measures the length after normalisation', () => {
    // 512 NFD "é" are 1,536 bytes; composed they are 1,024 (and still in 255-byte segments).
    const nfd = Array.from({ length: 4 }, () => 'e\u0301'.repeat(127)).join('/') + '/ab';
    expect(Buffer.byteLength(nfd)).toBeGreaterThan(MAX_FILE_PATH_BYTES);
    const check = checkFilePath(nfd);
    expect(check.ok).toBe(true);
    if (check.ok) expect(Buffer.byteLength(check.value)).toBeLessThanOrEqual(MAX_FILE_PATH_BYTES);
  });

  it('does not fold compatibility forms (NFKC would merge distinct names like "ﬁ" and "fi")', () => {
    expect(checkFilePath('ﬁle.txt')).toEqual({ ok: true, value: 'ﬁle.txt' });
  });
});

describe('parseNamespaceName and parseFilePath', () => {
  it('return the accepted value', () => {
    expect(parseNamespaceName('photos')).toBe('photos');
    expect(parseFilePath('cafe\u0301.txt')).toBe('café.txt');
  });

  it('throw a 400 invalid_request whose details name the field and the problem', () => {
    const error = catchError(() => parseFilePath('a/../b'));
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(400);
    expect(error.toBody()).toEqual({
      error: 'file path must not contain a ".." segment',
      code: 'invalid_request',
      details: [{ path: 'path', message: 'file path must not contain a ".." segment' }],
    });
    expect(catchError(() => parseNamespaceName('Bad', 'name')).toBody().details).toEqual([
      { path: 'name', message: expect.stringContaining('lowercase') },
    ]);
  });
});

function catchError(run: () => unknown): HttpError {
  try {
    run();
  } catch (error) {
    return error as HttpError;
  }
  throw new Error('expected a throw');
}
