import { describe, expect, it } from 'vitest';
import { formatScope, isValidScopeId, parseScope } from '../src/index';

describe('parseScope: refused (deny first)', () => {
  // [scope, fragment the error must contain]
  const refused: Array<[string, string]> = [
    ['', 'scope is empty'],
    ['storage', 'a bare root ("storage") grants nothing'],
    ['compute', 'add a user id, e.g. compute.<user_id>'],
    ['.storage.u1', 'empty segment at position 1'],
    ['storage..files', 'empty segment at position 2'],
    ['storage.u1.', 'empty segment at position 3'],
    ['storage.u1..x', 'empty segment at position 3'],
    ['storage.u1.files.', 'empty segment at position 4'],
    ['.', 'empty segment at position 1'],
    ['storage.u1.files.abc.def', 'too many segments (5)'],
    ['storage.u1.files.my.photo.jpg', 'ids cannot contain "."'],
    ['Storage.u1', 'unknown root "Storage": scopes are case-sensitive, did you mean "storage"?'],
    ['STORAGE.u1.files', 'did you mean "storage"?'],
    ['storage.u1.Files', 'unknown resource for storage "Files": scopes are case-sensitive, did you mean "files"?'],
    ['billing.u1', 'unknown root "billing": expected one of compute, storage, networking, notifications, logs'],
    ['__proto__.u1', 'unknown root "__proto__"'],
    ['constructor.u1', 'unknown root "constructor"'],
    ['storage.u1.containers', 'unknown resource for storage "containers": expected one of namespaces, files'],
    ['compute.u1.files', 'expected one of containers, keys'],
    ['networking.u1.domain', 'expected one of domains, domain-mappings'],
    ['storage.u1.toString', 'unknown resource for storage "toString"'],
    ['*', 'wildcards ("*") are not supported'],
    ['storage.*', 'wildcards'],
    ['storage.u1.*', 'wildcards'],
    ['storage.*.files', 'wildcards'],
    ['storage.u1.files.*', 'wildcards'],
    ['storage.u1.files.a*', 'wildcards'],
    ['storage.u 1', 'must not contain whitespace'],
    [' storage.u1', 'must not contain whitespace'],
    ['storage.u1\n', 'must not contain whitespace'],
    ['storage.u1/x.files', 'invalid user id "u1/x"'],
    ['storage.u1.files.a/b', 'invalid id "a/b"'],
    ['storage.u1.files.a%2e', 'invalid id'],
    ['storage.u1.files.ä', 'invalid id'],
    [`storage.${'u'.repeat(65)}`, 'invalid user id'],
    [`storage.u1.files.${'x'.repeat(129)}`, 'invalid id'],
    [`storage.u1.files.${'x'.repeat(300)}`, 'longer than 256 characters'],
  ];
  it.each(refused)('%j -> %s', (scope, fragment) => {
    const result = parseScope(scope);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(fragment);
  });

  it('refuses a non-string at runtime', () => {
    expect(parseScope(42 as unknown as string)).toEqual({ ok: false, error: 'scope must be a string' });
  });
});

describe('parseScope: accepted', () => {
  const accepted: Array<[string, object]> = [
    ['storage.u1', { root: 'storage', userId: 'u1', level: 'user' }],
    ['compute.AbC123xyz789', { root: 'compute', userId: 'AbC123xyz789', level: 'user' }],
    ['storage.u1.files', { root: 'storage', userId: 'u1', resource: 'files', level: 'resource' }],
    ['storage.u1.namespaces.photos', { root: 'storage', userId: 'u1', resource: 'namespaces', id: 'photos', level: 'id' }],
    ['compute.u1.containers.c_9-Z', { root: 'compute', resource: 'containers', id: 'c_9-Z', level: 'id' }],
    ['compute.u1.keys', { root: 'compute', resource: 'keys', level: 'resource' }],
    ['networking.u1.domains.d1', { root: 'networking', resource: 'domains', id: 'd1' }],
    ['networking.u1.domain-mappings', { root: 'networking', resource: 'domain-mappings', level: 'resource' }],
    [`storage.${'u'.repeat(64)}.files.${'x'.repeat(128)}`, { level: 'id' }],
  ];
  it.each(accepted)('%s', (scope, expected) => {
    expect(parseScope(scope)).toMatchObject({ ok: true, ...expected });
  });

  it('leaves out the parts a broader scope does not have', () => {
    expect(parseScope('storage.u1')).toEqual({ ok: true, root: 'storage', userId: 'u1', level: 'user' });
  });
});

describe('formatScope / isValidScopeId', () => {
  it.each([
    [['storage', 'u1'], 'storage.u1'],
    [['storage', 'u1', 'files'], 'storage.u1.files'],
    [['storage', 'u1', 'files', 'ns'], 'storage.u1.files.ns'],
    [['storage', 'u1', undefined, 'ns'], 'storage.u1'],
  ] as const)('%j -> %s', ([root, userId, resource, id], expected) => {
    expect(formatScope(root, userId, resource, id)).toBe(expected);
  });

  it.each([
    ['photos', true],
    ['c_1-A', true],
    ['', false],
    ['a.b', false],
    ['*', false],
    ['a b', false],
  ])('isValidScopeId(%j) = %s', (id, expected) => {
    expect(isValidScopeId(id)).toBe(expected);
  });
});
