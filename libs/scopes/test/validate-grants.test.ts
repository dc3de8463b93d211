import { describe, expect, it } from 'vitest';
import { validateScopeGrants } from '../src/index';

const owner = { ownerId: 'u1' };

describe('validateScopeGrants: refused (deny first), with messages that say what to fix', () => {
  const refused: Array<[string, unknown, string[]]> = [
    [
      'not an object',
      'storage.u1',
      ['scopes must be an object mapping each scope to a list of actions, e.g. {"storage.<user_id>.files": ["read"]}'],
    ],
    ['null', null, ['scopes must be an object mapping each scope to a list of actions, e.g. {"storage.<user_id>.files": ["read"]}']],
    [
      'an array',
      ['storage.u1'],
      ['scopes must be an object mapping each scope to a list of actions, e.g. {"storage.<user_id>.files": ["read"]}'],
    ],
    ['empty', {}, ['scopes must grant at least one scope']],
    [
      'another user',
      { 'storage.u2.files': ['read'] },
      ['scope "storage.u2.files": names user "u2", but scopes may only name your own user id "u1"'],
    ],
    [
      'prefix of own id',
      { 'storage.u10': ['read'] },
      ['scope "storage.u10": names user "u10", but scopes may only name your own user id "u1"'],
    ],
    [
      'bare root',
      { storage: ['read'] },
      ['scope "storage": a bare root ("storage") grants nothing: add a user id, e.g. storage.<user_id>'],
    ],
    [
      'unknown root',
      { 'billing.u1': ['read'] },
      ['scope "billing.u1": unknown root "billing": expected one of compute, storage, networking, notifications, logs'],
    ],
    [
      'uppercase',
      { 'storage.u1.Files': ['read'] },
      ['scope "storage.u1.Files": unknown resource for storage "Files": scopes are case-sensitive, did you mean "files"?'],
    ],
    [
      'wildcard',
      { 'storage.u1.*': ['read'] },
      ['scope "storage.u1.*": wildcards ("*") are not supported: grant the broader scope instead, e.g. storage.<user_id>'],
    ],
    [
      'actions not a list',
      { 'storage.u1': 'read' },
      ['scope "storage.u1": actions must be a non-empty list of create, read, update or delete'],
    ],
    ['empty actions', { 'storage.u1': [] }, ['scope "storage.u1": actions must be a non-empty list of create, read, update or delete']],
    [
      'unknown action',
      { 'storage.u1': ['read', 'write'] },
      ['scope "storage.u1": unknown action "write": expected create, read, update or delete'],
    ],
    [
      'uppercase action',
      { 'storage.u1': ['READ'] },
      ['scope "storage.u1": unknown action "READ": expected create, read, update or delete'],
    ],
    ['non-string action', { 'storage.u1': [1] }, ['scope "storage.u1": unknown action 1: expected create, read, update or delete']],
    [
      'action the resource lacks',
      { 'compute.u1.keys': ['update'] },
      ['scope "compute.u1.keys": action "update" is not allowed on compute keys (allowed: create, read, delete)'],
    ],
    [
      'action lacking on an id',
      { 'networking.u1.domains.d1': ['update'] },
      ['scope "networking.u1.domains.d1": action "update" is not allowed on networking domains (allowed: create, read, delete)'],
    ],
    [
      'every problem is reported, not only the first',
      { 'storage.u2': ['read'], 'storage.u1.files': ['fly'], 'compute.u1': ['read'] },
      [
        'scope "storage.u2": names user "u2", but scopes may only name your own user id "u1"',
        'scope "storage.u1.files": unknown action "fly": expected create, read, update or delete',
      ],
    ],
  ];
  it.each(refused)('%s', (_description, grants, errors) => {
    expect(validateScopeGrants(grants, owner)).toEqual({ ok: false, errors });
  });

  it('refuses more than maxEntries scopes', () => {
    const grants = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`compute.u1.containers.c${i}`, ['read']]));
    expect(validateScopeGrants(grants, owner)).toEqual({ ok: false, errors: ['too many scopes (51): at most 50'] });
    expect(validateScopeGrants({ 'storage.u1': ['read'], 'compute.u1': ['read'] }, { ...owner, maxEntries: 1 })).toEqual({
      ok: false,
      errors: ['too many scopes (2): at most 1'],
    });
  });

  it('cuts very long keys in messages', () => {
    const result = validateScopeGrants({ [`x${'y'.repeat(500)}`]: ['read'] }, owner);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.length).toBeLessThan(200);
  });

  it('treats a JSON "__proto__" key as an ordinary bad scope', () => {
    const result = validateScopeGrants(JSON.parse('{"__proto__": ["read"]}'), owner);
    expect(result).toEqual({
      ok: false,
      errors: ['scope "__proto__": unknown root "__proto__": expected one of compute, storage, networking, notifications, logs'],
    });
  });
});

describe('validateScopeGrants: accepted', () => {
  it('returns the grants with actions de-duplicated and in canonical order', () => {
    const result = validateScopeGrants(
      { 'storage.u1.files': ['read', 'create', 'read'], 'compute.u1.containers.c1': ['delete', 'read'], 'networking.u1': ['update'] },
      owner,
    );
    expect(result).toEqual({
      ok: true,
      grants: { 'storage.u1.files': ['create', 'read'], 'compute.u1.containers.c1': ['read', 'delete'], 'networking.u1': ['update'] },
    });
  });

  it('accepts a user-level scope with any action some resource of the root has', () => {
    expect(validateScopeGrants({ 'compute.u1': ['create', 'read', 'update', 'delete'] }, owner).ok).toBe(true);
  });

  it('accepts {} when allowEmpty is set (a service account created before its scopes)', () => {
    expect(validateScopeGrants({}, { ...owner, allowEmpty: true })).toEqual({ ok: true, grants: {} });
  });
});
