import type { ScopeAction } from '@edd/scopes';
import { describe, expect, it } from 'vitest';
import { canAccess } from '../src/index';
import type { Principal } from '../src/index';

const session: Principal = { kind: 'session', userId: 'u1', username: 'alice', isAdmin: false, sessionId: 's1' };
const admin: Principal = { kind: 'session', userId: 'adm', username: 'admin', isAdmin: true, sessionId: 's2' };
const readFiles: Principal = {
  kind: 'api_token',
  userId: 'u1',
  username: 'alice',
  isAdmin: false,
  tokenId: 't1',
  scopes: { 'storage.u1.files': ['read'] },
};
const serviceAccount: Principal = {
  kind: 'service_account',
  userId: 'u1',
  username: 'alice',
  isAdmin: false,
  tokenId: 't2',
  serviceAccountId: 'sa1',
  scopes: { 'compute.u1.containers.c1': ['read', 'update'] },
};
// A token whose scopes (wrongly) name another user: the owner check must still refuse it.
const foreignGrant: Principal = { ...readFiles, scopes: { 'storage.u2': ['read'] } };

type Case = [description: string, principal: Principal | undefined, scope: string, action: ScopeAction];

const denied: Case[] = [
  ['nobody', undefined, 'storage.u1.files', 'read'],
  ['session: another user', session, 'storage.u2.files', 'read'],
  ['session: prefix trap u1 vs u10', session, 'storage.u10.files', 'read'],
  ['session: malformed scope', session, 'storage.u1.files.a.b', 'read'],
  ['session: bare root', session, 'storage', 'read'],
  ['session: unknown resource', session, 'storage.u1.containers', 'read'],
  ['session: action the resource lacks', session, 'compute.u1.keys.k1', 'update'],
  ['session: unknown action', session, 'storage.u1.files', 'admin' as ScopeAction],
  ['admin: no implicit access to other users', admin, 'storage.u1.files', 'read'],
  ['admin: not even delete', admin, 'compute.u1.containers.c1', 'delete'],
  ['token: action not granted', readFiles, 'storage.u1.files.ns', 'delete'],
  ['token: other resource', readFiles, 'storage.u1.namespaces', 'read'],
  ['token: broader than granted', readFiles, 'storage.u1', 'read'],
  ['token: another user', readFiles, 'storage.u2.files', 'read'],
  ['token: grant naming another user', foreignGrant, 'storage.u2.files', 'read'],
  ['token: no scopes at all', { ...readFiles, scopes: undefined }, 'storage.u1.files', 'read'],
  ['service account: other container', serviceAccount, 'compute.u1.containers.c2', 'read'],
  ['service account: action not granted', serviceAccount, 'compute.u1.containers.c1', 'delete'],
];

const allowed: Case[] = [
  ['session: own files', session, 'storage.u1.files.ns', 'delete'],
  ['session: own user scope', session, 'compute.u1', 'create'],
  ['admin: own resources', admin, 'storage.adm.files', 'read'],
  ['token: granted read on a namespace', readFiles, 'storage.u1.files.ns', 'read'],
  ['token: granted read on all files', readFiles, 'storage.u1.files', 'read'],
  ['service account: its container', serviceAccount, 'compute.u1.containers.c1', 'update'],
];

describe('canAccess', () => {
  it.each(denied)('denies: %s', (_d, principal, scope, action) => {
    expect(canAccess(principal, scope, action)).toBe(false);
  });
  it.each(allowed)('allows: %s', (_d, principal, scope, action) => {
    expect(canAccess(principal, scope, action)).toBe(true);
  });
});
