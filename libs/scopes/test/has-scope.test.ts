import { describe, expect, it } from 'vitest';
import { hasScope } from '../src/index';
import type { ScopeAction, ScopeGrants } from '../src/index';

type Case = [description: string, grants: ScopeGrants, requested: string, action: ScopeAction];

// Deny first: every way a request must be refused, then what a grant does allow.
const denied: Case[] = [
  ['no grants at all', {}, 'storage.u1.files', 'read'],
  ['bare root grants nothing', { storage: ['read'] }, 'storage.u1.files', 'read'],
  ['bare root grants nothing even for itself', { storage: ['read'] }, 'storage', 'read'],
  ['another user: user-level grant never reaches u2', { 'storage.u1': ['read'] }, 'storage.u2.files', 'read'],
  ['another user: resource-level grant never reaches u2', { 'storage.u1.files': ['read'] }, 'storage.u2.files', 'read'],
  ['prefix trap: storage.u1 does not cover storage.u10', { 'storage.u1': ['read'] }, 'storage.u10.files', 'read'],
  ['prefix trap: storage.u10 does not cover storage.u1', { 'storage.u10': ['read'] }, 'storage.u1.files', 'read'],
  ['prefix trap on ids: files.ab does not cover files.abc', { 'storage.u1.files.ab': ['read'] }, 'storage.u1.files.abc', 'read'],
  [
    'prefix trap on resources: domains does not cover domain-mappings',
    { 'networking.u1.domains': ['read'] },
    'networking.u1.domain-mappings',
    'read',
  ],
  ['action must be listed', { 'storage.u1.files': ['read'] }, 'storage.u1.files', 'delete'],
  [
    'action must be listed on the covering grant',
    { 'storage.u1': ['read'], 'storage.u1.namespaces': ['delete'] },
    'storage.u1.files.x',
    'delete',
  ],
  ['empty action list', { 'storage.u1': [] }, 'storage.u1.files', 'read'],
  ['other root', { 'compute.u1': ['read'] }, 'storage.u1.files', 'read'],
  ['other resource', { 'storage.u1.namespaces': ['read'] }, 'storage.u1.files', 'read'],
  ['id-level covers only that id', { 'storage.u1.files.a': ['read'] }, 'storage.u1.files.b', 'read'],
  ['narrower grant does not cover broader request (id -> resource)', { 'storage.u1.files.a': ['read'] }, 'storage.u1.files', 'read'],
  ['narrower grant does not cover broader request (resource -> user)', { 'storage.u1.files': ['read'] }, 'storage.u1', 'read'],
  ['id grant on another resource with the same id', { 'storage.u1.namespaces.a': ['read'] }, 'storage.u1.files.a', 'read'],
  ['wildcard grant is not a wildcard', { 'storage.*': ['read'] }, 'storage.u1.files', 'read'],
  ['wildcard user is not a wildcard', { 'storage.*.files': ['read'] }, 'storage.u1.files', 'read'],
  ['malformed request', { 'storage.u1': ['read'] }, 'storage.u1.files.a.b', 'read'],
  ['request with empty segment', { 'storage.u1': ['read'] }, 'storage.u1..', 'read'],
  ['request with unknown resource', { 'storage.u1': ['read'] }, 'storage.u1.containers', 'read'],
  ['uppercase request', { 'storage.u1': ['read'] }, 'Storage.u1.files', 'read'],
  ['uppercase grant', { 'Storage.u1': ['read'] }, 'storage.u1.files', 'read'],
  ['action the resource does not have (keys cannot be updated)', { 'compute.u1': ['update'] }, 'compute.u1.keys.k1', 'update'],
  ['unknown action at runtime', { 'storage.u1': ['read'] }, 'storage.u1.files', 'admin' as ScopeAction],
  ['user ids are case-sensitive', { 'storage.U1': ['read'] }, 'storage.u1.files', 'read'],
];

const allowed: Case[] = [
  ['user-level grant covers the user scope itself', { 'storage.u1': ['read'] }, 'storage.u1', 'read'],
  ['user-level grant covers every resource', { 'storage.u1': ['read'] }, 'storage.u1.namespaces', 'read'],
  ['user-level grant covers every id', { 'storage.u1': ['delete'] }, 'storage.u1.files.photos', 'delete'],
  ['resource-level grant covers the resource', { 'storage.u1.files': ['read'] }, 'storage.u1.files', 'read'],
  ['resource-level grant covers every id', { 'compute.u1.containers': ['read', 'delete'] }, 'compute.u1.containers.c1', 'delete'],
  ['id-level grant covers that id', { 'compute.u1.containers.c1': ['update'] }, 'compute.u1.containers.c1', 'update'],
  ['prefix trap the right way round: storage.u10 covers storage.u10', { 'storage.u10': ['read'] }, 'storage.u10.files', 'read'],
  [
    'any one of several grants is enough',
    { 'storage.u1.namespaces': ['read'], 'storage.u1.files.x': ['create'] },
    'storage.u1.files.x',
    'create',
  ],
  ['networking domain-mappings', { 'networking.u1.domain-mappings': ['update'] }, 'networking.u1.domain-mappings.m1', 'update'],
  ['keys can be created', { 'compute.u1.keys': ['create'] }, 'compute.u1.keys', 'create'],
];

describe('hasScope', () => {
  it.each(denied)('denies: %s', (_description, grants, requested, action) => {
    expect(hasScope(grants, requested, action)).toBe(false);
  });

  it.each(allowed)('allows: %s', (_description, grants, requested, action) => {
    expect(hasScope(grants, requested, action)).toBe(true);
  });

  it('denies when grants are missing', () => {
    expect(hasScope(undefined, 'storage.u1.files', 'read')).toBe(false);
  });

  it('ignores a grant whose actions are not an array (data from outside)', () => {
    expect(hasScope({ 'storage.u1': 'read' as unknown as ScopeAction[] }, 'storage.u1.files', 'read')).toBe(false);
  });

  it('matrix: a read-only files token reads, and does nothing else', () => {
    const grants: ScopeGrants = { 'storage.u1.files': ['read'] };
    const results = (['create', 'read', 'update', 'delete'] as const).map((a) => hasScope(grants, 'storage.u1.files.ns', a));
    expect(results).toEqual([false, true, false, false]);
  });
});
