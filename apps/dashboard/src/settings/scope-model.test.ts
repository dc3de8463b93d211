import { describe, expect, it } from 'vitest';
import { actionsFor, addGrant, buildScope, describeScope, normaliseCatalog, removeGrant } from './scope-model';

describe('normaliseCatalog', () => {
  it('reads the {roots: {root: {resources: {name: {actions}}}}} shape', () => {
    const catalog = normaliseCatalog({
      roots: { storage: { resources: { namespaces: { actions: ['read', 'create'] }, files: { actions: ['read', 'delete', 'bogus'] } } } },
    });
    expect(catalog).toEqual([
      {
        name: 'storage',
        resources: [
          { name: 'namespaces', actions: ['create', 'read'] },
          { name: 'files', actions: ['read', 'delete'] },
        ],
      },
    ]);
  });

  it('reads resource -> actions maps and plain resource lists', () => {
    expect(normaliseCatalog({ roots: { compute: { containers: ['read'] }, networking: ['domains'] } })).toEqual([
      { name: 'compute', resources: [{ name: 'containers', actions: ['read'] }] },
      { name: 'networking', resources: [{ name: 'domains', actions: ['create', 'read', 'update', 'delete'] }] },
    ]);
  });

  it('drops roots without resources and survives garbage', () => {
    expect(normaliseCatalog({ roots: { empty: {} } })).toEqual([]);
    expect(normaliseCatalog(null)).toEqual([]);
  });
});

describe('building grants', () => {
  const storage = {
    name: 'storage',
    resources: [
      { name: 'files', actions: ['read' as const] },
      { name: 'namespaces', actions: ['create' as const, 'read' as const] },
    ],
  };

  it('always puts the user id second and refuses ids that would add segments', () => {
    expect(buildScope('storage', 'u1')).toBe('storage.u1');
    expect(buildScope('storage', 'u1', 'files')).toBe('storage.u1.files');
    expect(buildScope('storage', 'u1', 'files', 'abc-1')).toBe('storage.u1.files.abc-1');
    expect(() => buildScope('storage', 'u1', 'files', 'a.b')).toThrow();
    expect(() => buildScope('storage', 'u1', undefined, 'abc')).toThrow();
  });

  it('offers only the actions the catalogue allows', () => {
    expect(actionsFor(storage, 'files')).toEqual(['read']);
    expect(actionsFor(storage, undefined)).toEqual(['create', 'read']);
    expect(actionsFor(undefined, 'files')).toEqual([]);
  });

  it('merges, orders and removes grants', () => {
    let grants = addGrant({}, 'storage.u1.files', ['read']);
    grants = addGrant(grants, 'storage.u1.files', ['delete', 'read']);
    expect(grants).toEqual({ 'storage.u1.files': ['read', 'delete'] });
    expect(removeGrant(grants, 'storage.u1.files')).toEqual({});
  });

  it('describes scopes in words', () => {
    expect(describeScope('storage.u1')).toBe('all of storage');
    expect(describeScope('storage.u1.files')).toBe('all files in storage');
    expect(describeScope('compute.u1.containers.c9')).toBe('containers c9 in compute');
  });
});
