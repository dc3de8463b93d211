import { describe, expect, it } from 'vitest';
import { actionForMethod, actionsFor, scopeCatalog } from '../src/index';

describe('scopeCatalog', () => {
  it('lists the roots and resources of the reference', () => {
    const shape = Object.fromEntries(Object.entries(scopeCatalog.roots).map(([root, r]) => [root, Object.keys(r.resources)]));
    expect(shape).toEqual({
      compute: ['containers', 'keys'],
      storage: ['namespaces', 'files'],
      networking: ['domains', 'domain-mappings'],
      notifications: ['inbox', 'mutes'],
      logs: ['entries'],
    });
  });

  it('serialises to plain JSON for GET /api/scopes', () => {
    const json = JSON.parse(JSON.stringify(scopeCatalog)) as typeof scopeCatalog;
    expect(json.roots.storage.resources.files.actions).toEqual(['create', 'read', 'update', 'delete']);
    expect(json.format).toBe('<root>.<user_id>[.<resource>[.<id>]]');
  });
});

describe('actionsFor', () => {
  it.each([
    ['compute', 'keys', ['create', 'read', 'delete']],
    ['compute', undefined, ['create', 'read', 'update', 'delete']],
    ['networking', 'domains', ['create', 'read', 'delete']],
    ['logs', 'entries', ['read']],
    ['logs', undefined, ['read']],
    ['storage', 'toString', []],
    ['storage', 'nope', []],
  ] as const)('%s %s', (root, resource, expected) => {
    expect(actionsFor(root, resource)).toEqual(expected);
  });
});

describe('actionForMethod', () => {
  it.each([
    ['GET', 'read'],
    ['head', 'read'],
    ['POST', 'create'],
    ['PUT', 'update'],
    ['PATCH', 'update'],
    ['DELETE', 'delete'],
    ['OPTIONS', undefined],
  ])('%s -> %s', (method, action) => {
    expect(actionForMethod(method)).toBe(action);
  });
});
