import { describe, expect, it } from 'vitest';
import {
  createNamespaceRequestSchema,
  createShareRequestSchema,
  fileListQuerySchema,
  fileListResponseSchema,
  namespaceNameSchema,
  transferProgressSchema,
  updateNamespaceRequestSchema,
} from '../src';

describe('namespace names', () => {
  it.each(['a', 'photos', 'my-files_2024', 'v1.2', '0', 'a'.repeat(63)])('accepts %s', (name) => {
    expect(namespaceNameSchema.safeParse(name).success).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['Photos', 'upper case'],
    ['-photos', 'leading dash'],
    ['.hidden', 'leading dot'],
    ['a..b', 'two dots'],
    ['photos.', 'trailing dot'],
    ['a'.repeat(64), '64 characters'],
    ['a/b', 'a slash'],
    ['caf\u00e9', 'non-ASCII'],
    ['uploads', 'a route word'],
    ['s', 'the share route'],
  ])('refuses %j (%s)', (name) => {
    expect(namespaceNameSchema.safeParse(name).success).toBe(false);
  });

  it('says why a name is refused', () => {
    const result = namespaceNameSchema.safeParse('photos.');
    expect(result.error?.issues[0]?.message).toBe('namespace name must not end with "."');
  });
});

describe('namespace requests', () => {
  it('creates private namespaces unless told otherwise', () => {
    expect(createNamespaceRequestSchema.parse({ name: 'docs' })).toEqual({ name: 'docs', visibility: 'private' });
    expect(createNamespaceRequestSchema.parse({ name: 'www', visibility: 'public' }).visibility).toBe('public');
  });

  it('refuses an unknown visibility', () => {
    expect(createNamespaceRequestSchema.safeParse({ name: 'docs', visibility: 'world' }).success).toBe(false);
    expect(updateNamespaceRequestSchema.safeParse({}).success).toBe(false);
  });
});

describe('file listing', () => {
  it('coerces the query limit and defaults it to 200', () => {
    expect(fileListQuerySchema.parse({ namespace: 'docs' })).toEqual({ namespace: 'docs', prefix: '', limit: 200 });
    expect(fileListQuerySchema.parse({ namespace: 'docs', limit: '5', delimiter: '/' }).limit).toBe(5);
  });

  it('bounds the limit and only knows "/" as a delimiter', () => {
    expect(fileListQuerySchema.safeParse({ namespace: 'docs', limit: '0' }).success).toBe(false);
    expect(fileListQuerySchema.safeParse({ namespace: 'docs', limit: '1001' }).success).toBe(false);
    expect(fileListQuerySchema.safeParse({ namespace: 'docs', delimiter: ',' }).success).toBe(false);
  });

  it('reads a page with a null cursor', () => {
    const page = { files: [], folders: ['a/'], next_cursor: null };
    expect(fileListResponseSchema.parse(page)).toEqual(page);
  });
});

describe('share links', () => {
  it('accept one minute to 30 days', () => {
    const body = { namespace: 'docs', path: 'a/b.txt' };
    expect(createShareRequestSchema.safeParse({ ...body, expires_in: 60 }).success).toBe(true);
    expect(createShareRequestSchema.safeParse({ ...body, expires_in: 30 * 86_400 }).success).toBe(true);
    expect(createShareRequestSchema.safeParse({ ...body, expires_in: 59 }).success).toBe(false);
    expect(createShareRequestSchema.safeParse({ ...body, expires_in: 30 * 86_400 + 1 }).success).toBe(false);
    expect(createShareRequestSchema.safeParse({ ...body, path: '', expires_in: 60 }).success).toBe(false);
  });
});

describe('progress events', () => {
  it('carry an optional error', () => {
    const event = { id: 'abcdefgh', direction: 'upload', bytes: 10, total: 10, done: true };
    expect(transferProgressSchema.parse(event)).toEqual(event);
    expect(transferProgressSchema.parse({ ...event, error: 'disk full' }).error).toBe('disk full');
    expect(transferProgressSchema.safeParse({ ...event, direction: 'sideways' }).success).toBe(false);
  });
});
