import type { Principal } from '@edd/auth-client';
import { describe, expect, it } from 'vitest';
import { decideFileRead, decideFileWrite, decideNamespaceChange, storageScope } from './access';

const owner: Principal = { userId: 'u1', username: 'u1', isAdmin: false, kind: 'session' };
const stranger: Principal = { userId: 'u2', username: 'u2', isAdmin: true, kind: 'session' };
const token = (scopes: Record<string, Array<'create' | 'read' | 'update' | 'delete'>>): Principal => ({
  ...owner,
  kind: 'api_token',
  scopes,
});
const priv = { name: 'photos', ownerId: 'u1', visibility: 'private' as const };
const pub = { ...priv, visibility: 'public' as const };

describe('access (deny first)', () => {
  it('denies what is missing, anonymous or someone else’s, admins included', () => {
    expect(decideFileRead(owner, undefined)).toEqual({ ok: false, reason: 'not_found' });
    expect(decideFileRead(undefined, priv)).toEqual({ ok: false, reason: 'not_found' });
    expect(decideFileRead(stranger, priv)).toEqual({ ok: false, reason: 'not_found' });
    expect(decideFileWrite(undefined, pub, 'create')).toEqual({ ok: false, reason: 'unauthenticated' });
    expect(decideFileWrite(stranger, priv, 'create')).toEqual({ ok: false, reason: 'not_found' });
    expect(decideFileWrite(stranger, pub, 'delete')).toEqual({ ok: false, reason: 'forbidden' });
    expect(decideNamespaceChange(stranger, priv, 'delete')).toEqual({ ok: false, reason: 'not_found' });
  });

  it('denies an owner’s token without the scope, and a scope of another action or namespace', () => {
    expect(decideFileWrite(token({}), priv, 'create')).toMatchObject({ ok: false, reason: 'scope_missing' });
    expect(decideFileWrite(token({ 'storage.u1.files.photos': ['read'] }), priv, 'create')).toMatchObject({ ok: false });
    expect(decideFileRead(token({ 'storage.u1.files.other': ['read'] }), priv)).toMatchObject({ ok: false });
    expect(decideNamespaceChange(token({ 'storage.u1.files': ['update'] }), priv, 'update')).toMatchObject({ ok: false });
  });

  it('allows the owner’s session, a covering token, and anyone reading a public namespace', () => {
    expect(decideFileWrite(owner, priv, 'delete')).toEqual({ ok: true });
    expect(decideFileWrite(token({ 'storage.u1.files.photos': ['create'] }), priv, 'create')).toEqual({ ok: true });
    expect(decideFileWrite(token({ 'storage.u1.files': ['create'] }), priv, 'create')).toEqual({ ok: true });
    expect(decideFileRead(undefined, pub)).toEqual({ ok: true });
    expect(decideNamespaceChange(token({ 'storage.u1.namespaces.photos': ['update'] }), priv, 'update')).toEqual({ ok: true });
  });

  it('names a namespace with "." by the broader scope (scope ids cannot carry ".")', () => {
    expect(storageScope('u1', 'files', 'photos.2024')).toBe('storage.u1.files');
    expect(storageScope('u1', 'files', 'photos')).toBe('storage.u1.files.photos');
  });
});
