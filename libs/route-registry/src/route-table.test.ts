import { describe, expect, it } from 'vitest';
import { RouteTable } from './route-table';
import { keepsPath, type Route } from './route';

const D = 'cloud.localhost';
const r = (host: string, pathPrefix: string, target: string, extra: Partial<Route> = {}): Route => ({
  host,
  pathPrefix,
  target,
  stripPrefix: false,
  priority: 0,
  ...extra,
});

const seedRoutes: Route[] = [
  r(`cloud.${D}`, '/', 'http://127.0.0.1:4000'),
  r(`auth.${D}`, '/', 'http://127.0.0.1:4001'),
  r(`compute.${D}`, '/', 'http://127.0.0.1:4003'),
  r(`compute.${D}`, '/compute', 'http://127.0.0.1:9003'),
  r(`compute.${D}`, '/compute/admin', 'http://127.0.0.1:9004'),
  r(`health.${D}`, '/', 'http://127.0.0.1:4004'),
  r(`health.${D}`, '/logs', 'http://127.0.0.1:4005'),
  r(`health.${D}`, '/sse/health', 'http://127.0.0.1:9006'),
  r(`storage.${D}`, '/api/', 'http://127.0.0.1:9002', { stripPrefix: true }),
  r(`storage.${D}`, '/', 'http://127.0.0.1:4002'),
];

const target = (table: RouteTable, host: string, path: string) => table.match(host, path)?.route.target;

describe('RouteTable.match: host', () => {
  const table = new RouteTable(seedRoutes);

  it('matches the host exactly', () => {
    expect(target(table, `auth.${D}`, '/api/login')).toBe('http://127.0.0.1:4001');
  });
  it('is case-insensitive on the host (RFC 9110 §4.2.3)', () => {
    expect(target(table, `AUTH.Cloud.LocalHost`, '/')).toBe('http://127.0.0.1:4001');
  });
  it('ignores the port in Host', () => {
    expect(target(table, `auth.${D}:18080`, '/')).toBe('http://127.0.0.1:4001');
    expect(target(table, `auth.${D}:`, '/')).toBe('http://127.0.0.1:4001');
  });
  it('accepts the fully qualified form with a trailing dot', () => {
    expect(target(table, `auth.${D}.`, '/')).toBe('http://127.0.0.1:4001');
    expect(target(table, `auth.${D}.:443`, '/')).toBe('http://127.0.0.1:4001');
  });
  it('returns undefined for an unknown host, a parent or a child domain', () => {
    expect(table.match('evil.example', '/')).toBeUndefined();
    expect(table.match(D, '/')).toBeUndefined();
    expect(table.match(`x.auth.${D}`, '/')).toBeUndefined();
    expect(table.match('', '/')).toBeUndefined();
  });
  it('matches bracketed IPv6 literals with and without port', () => {
    const v6 = new RouteTable([r('[::1]', '/', 'http://127.0.0.1:1'), r('[fe80::1]', '/', 'http://127.0.0.1:2')]);
    expect(target(v6, '[::1]:80', '/')).toBe('http://127.0.0.1:1');
    expect(target(v6, '[::1]', '/x')).toBe('http://127.0.0.1:1');
    expect(target(v6, '[FE80::1]:8080', '/')).toBe('http://127.0.0.1:2');
    expect(v6.match('[::2]', '/')).toBeUndefined();
  });
  it('normalises the hosts it is given, too', () => {
    const t = new RouteTable([r('Docs.Cloud.Localhost.', '/', 'http://127.0.0.1:4007')]);
    expect(target(t, 'docs.cloud.localhost', '/')).toBe('http://127.0.0.1:4007');
  });
  it('looks a host up by its normal form even when it equals a key that is not normal', () => {
    // 'a.example..' normalises to the key 'a.example.', which is not its own normal form: the Host 'a.example.'
    // means 'a.example', a different host, and must not be found as is.
    const t = new RouteTable([r('a.example..', '/', 'http://127.0.0.1:1'), r('b.example', '/', 'http://127.0.0.1:2')]);
    expect(t.match('a.example.', '/')).toBeUndefined();
    expect(target(t, 'B.example.:80', '/')).toBe('http://127.0.0.1:2');
  });
});

describe('RouteTable.match: path', () => {
  const table = new RouteTable(seedRoutes);
  const c = `compute.${D}`;

  it('a prefix matches itself, its sub-paths and itself with a query', () => {
    expect(target(table, c, '/compute')).toBe('http://127.0.0.1:9003');
    expect(target(table, c, '/compute/')).toBe('http://127.0.0.1:9003');
    expect(target(table, c, '/compute/x/y')).toBe('http://127.0.0.1:9003');
    expect(target(table, c, '/compute?q=1')).toBe('http://127.0.0.1:9003');
  });
  it('only matches on segment boundaries: /compute is not /computer', () => {
    expect(target(table, c, '/computer')).toBe('http://127.0.0.1:4003');
    expect(target(table, c, '/compute-x')).toBe('http://127.0.0.1:4003');
    expect(target(table, c, '/comp')).toBe('http://127.0.0.1:4003');
  });
  it('the longest matching prefix wins', () => {
    expect(target(table, c, '/compute/admin')).toBe('http://127.0.0.1:9004');
    expect(target(table, c, '/compute/admin/users')).toBe('http://127.0.0.1:9004');
    expect(target(table, c, '/compute/administrator')).toBe('http://127.0.0.1:9003');
  });
  it('an exact path beats the root and shorter prefixes', () => {
    expect(target(table, `health.${D}`, '/sse/health')).toBe('http://127.0.0.1:9006');
    expect(target(table, `health.${D}`, '/sse')).toBe('http://127.0.0.1:4004');
    expect(target(table, `health.${D}`, '/sse/healthz')).toBe('http://127.0.0.1:4004');
  });
  it('the root catches everything else on its host', () => {
    expect(target(table, `health.${D}`, '/')).toBe('http://127.0.0.1:4004');
    expect(target(table, `health.${D}`, '/anything/at/all')).toBe('http://127.0.0.1:4004');
  });
  it('a host without a root route has no match outside its prefixes', () => {
    const t = new RouteTable([r('a.test', '/only', 'http://127.0.0.1:1')]);
    expect(t.match('a.test', '/')).toBeUndefined();
    expect(t.match('a.test', '/other')).toBeUndefined();
    expect(target(t, 'a.test', '/only/x')).toBe('http://127.0.0.1:1');
  });
  it('a prefix written with a trailing slash behaves like one without', () => {
    const s = `storage.${D}`;
    expect(target(table, s, '/api')).toBe('http://127.0.0.1:9002');
    expect(target(table, s, '/api/')).toBe('http://127.0.0.1:9002');
    expect(target(table, s, '/api/files')).toBe('http://127.0.0.1:9002');
    expect(target(table, s, '/apis')).toBe('http://127.0.0.1:4002');
  });
  it('is case-sensitive on the path (RFC 3986 §6.2.2.1)', () => {
    expect(target(table, c, '/Compute')).toBe('http://127.0.0.1:4003');
  });
  it('leaves percent-encoding alone: /comp%75te is not /compute', () => {
    expect(target(table, c, '/comp%75te')).toBe('http://127.0.0.1:4003');
    expect(target(table, c, '/compute%2Fadmin')).toBe('http://127.0.0.1:4003');
    expect(table.match(c, '/compute/a%20b')?.upstreamPath).toBe('/compute/a%20b');
  });
  it('does not resolve dot segments into another route', () => {
    // `/compute/../auth` stays with the /compute route: its upstream resolves it within its own namespace.
    expect(target(table, c, '/compute/../admin')).toBe('http://127.0.0.1:9003');
    expect(target(table, c, '/x/../compute/admin')).toBe('http://127.0.0.1:4003');
    expect(table.match(c, '/compute/../admin')?.upstreamPath).toBe('/compute/../admin');
  });
  it('ignores the query for matching, including prefixes inside it', () => {
    expect(target(table, c, '/?next=/compute/admin')).toBe('http://127.0.0.1:4003');
    expect(target(table, c, '/compute/admin?x=/y')).toBe('http://127.0.0.1:9004');
    expect(target(table, c, '/compute?')).toBe('http://127.0.0.1:9003');
  });
  it('matches nothing for a request-target that is not origin-form', () => {
    expect(table.match(c, '*')).toBeUndefined();
    expect(table.match(c, '')).toBeUndefined();
  });
  it('matchPath (a path already without its query) answers as match does, with the same cached object', () => {
    const s = `storage.${D}`;
    for (const [host, path] of [
      [c, '/compute/admin'],
      [c, '/Compute'],
      [s, '/api/files'],
      [s, '/api'],
      [s, '/apis'],
      [`nothing.${D}`, '/'],
      [c, ''],
    ] as const) {
      const viaMatch = table.match(host, path);
      expect(table.matchPath(host, path)).toEqual(viaMatch);
      expect(table.matchPath(host, path)).toBe(table.matchPath(host, path));
    }
    // The stripped prefix's upstream path comes without a query; match adds the query back.
    expect(table.matchPath(s, '/api/files')?.upstreamPath).toBe('/files');
    expect(table.match(s, '/api/files?x=1')?.upstreamPath).toBe('/files?x=1');
  });
});

describe('RouteTable.match: priority', () => {
  it('explicit priority wins over exact and longest-prefix rules', () => {
    const t = new RouteTable([r('p.test', '/', 'http://127.0.0.1:1', { priority: 10 }), r('p.test', '/exact', 'http://127.0.0.1:2')]);
    expect(target(t, 'p.test', '/exact')).toBe('http://127.0.0.1:1');
  });
  it('a higher-priority prefix only applies where it matches', () => {
    const t = new RouteTable([
      r('p.test', '/a', 'http://127.0.0.1:1', { priority: 5 }),
      r('p.test', '/a/b', 'http://127.0.0.1:2'),
      r('p.test', '/', 'http://127.0.0.1:3'),
    ]);
    expect(target(t, 'p.test', '/a/b')).toBe('http://127.0.0.1:1');
    expect(target(t, 'p.test', '/b')).toBe('http://127.0.0.1:3');
  });
  it('equal priority falls back to the path rules', () => {
    const t = new RouteTable([
      r('p.test', '/', 'http://127.0.0.1:1', { priority: 3 }),
      r('p.test', '/a', 'http://127.0.0.1:2', { priority: 3 }),
    ]);
    expect(target(t, 'p.test', '/a/x')).toBe('http://127.0.0.1:2');
    expect(target(t, 'p.test', '/b')).toBe('http://127.0.0.1:1');
  });
  it('negative priority ranks below the default', () => {
    const t = new RouteTable([r('p.test', '/a', 'http://127.0.0.1:1', { priority: -1 }), r('p.test', '/', 'http://127.0.0.1:2')]);
    expect(target(t, 'p.test', '/a')).toBe('http://127.0.0.1:2');
  });
  it('on a complete tie (duplicate host and path) the route listed first wins', () => {
    const t = new RouteTable([r('p.test', '/', 'http://127.0.0.1:1'), r('p.test', '/', 'http://127.0.0.1:2')]);
    expect(target(t, 'p.test', '/')).toBe('http://127.0.0.1:1');
  });
});

describe('RouteTable.match: stripPrefix', () => {
  const t = new RouteTable([
    r('s.test', '/logs', 'http://127.0.0.1:1', { stripPrefix: true }),
    r('s.test', '/keep', 'http://127.0.0.1:2'),
    r('s.test', '/', 'http://127.0.0.1:3', { stripPrefix: true }),
  ]);
  const up = (path: string) => t.match('s.test', path)?.upstreamPath;

  it('removes the prefix and keeps a leading slash', () => {
    expect(up('/logs/stream')).toBe('/stream');
    expect(up('/logs')).toBe('/');
    expect(up('/logs/')).toBe('/');
  });
  it('keeps the query string', () => {
    expect(up('/logs?source=auth')).toBe('/?source=auth');
    expect(up('/logs/sse?level=info&x=/logs')).toBe('/sse?level=info&x=/logs');
  });
  it('leaves the path untouched when stripPrefix is false or the prefix is the root', () => {
    expect(up('/keep/a?b')).toBe('/keep/a?b');
    expect(up('/other?x')).toBe('/other?x');
  });
  it('says which routes keep the path, as match() applies it', () => {
    for (const path of ['/logs/a?b', '/keep/a?b', '/other?x']) {
      const match = t.match('s.test', path);
      expect(match && keepsPath(match.route)).toBe(match?.upstreamPath === path);
    }
    expect(['/logs/x', '/keep/x', '/x'].map((path) => keepsPath(t.match('s.test', path)!.route))).toEqual([false, true, true]);
  });
});

describe('RouteTable: cache and replace', () => {
  it('caches resolved lookups by host and path without query, up to the capacity', () => {
    const t = new RouteTable(seedRoutes, 3);
    t.match(`auth.${D}`, '/a?x=1');
    t.match(`AUTH.${D}:80`, '/a?x=2');
    expect(t.cachedEntries).toBe(1);
    t.match(`auth.${D}`, '/b');
    t.match(`auth.${D}`, '/c');
    t.match(`auth.${D}`, '/d');
    expect(t.cachedEntries).toBe(3);
  });
  it('does not cache unknown hosts (a flood of random hosts cannot evict real entries)', () => {
    const t = new RouteTable(seedRoutes, 3);
    t.match(`auth.${D}`, '/a');
    for (let i = 0; i < 10; i++) t.match(`h${i}.invalid`, '/');
    expect(t.cachedEntries).toBe(1);
  });
  it('returns the same answer from the cache as from a scan, query included', () => {
    const t = new RouteTable(seedRoutes);
    const first = t.match(`storage.${D}`, '/api/f?x=1');
    const second = t.match(`storage.${D}`, '/api/f?x=2');
    const bare = t.match(`storage.${D}`, '/api/f');
    expect(first?.upstreamPath).toBe('/f?x=1');
    expect(second?.upstreamPath).toBe('/f?x=2');
    expect(bare?.upstreamPath).toBe('/f');
  });
  it('replace() swaps the table and clears the cache', () => {
    const t = new RouteTable(seedRoutes);
    expect(target(t, `auth.${D}`, '/')).toBe('http://127.0.0.1:4001');
    expect(t.cachedEntries).toBe(1);
    t.replace([r(`auth.${D}`, '/', 'http://127.0.0.1:5001')]);
    expect(t.cachedEntries).toBe(0);
    expect(target(t, `auth.${D}`, '/')).toBe('http://127.0.0.1:5001');
    expect(t.match(`cloud.${D}`, '/')).toBeUndefined();
    expect(t.routes).toHaveLength(1);
  });
  it('answers each host with its own routes however lookups of hosts, spellings and misses interleave', () => {
    const t = new RouteTable(seedRoutes);
    const lookups: Array<[string, string, string | undefined]> = [
      [`auth.${D}`, '/', 'http://127.0.0.1:4001'],
      [`auth.${D}`, '/x', 'http://127.0.0.1:4001'],
      [`compute.${D}`, '/compute/x', 'http://127.0.0.1:9003'],
      ['nowhere.invalid', '/', undefined],
      [`compute.${D}`, '/', 'http://127.0.0.1:4003'],
      [`AUTH.${D}:80`, '/', 'http://127.0.0.1:4001'],
      ['nowhere.invalid', '/', undefined],
      [`auth.${D}`, '/', 'http://127.0.0.1:4001'],
    ];
    for (const [host, path, expected] of lookups) expect(target(t, host, path), `${host}${path}`).toBe(expected);
  });
  it('works with the cache disabled', () => {
    const t = new RouteTable(seedRoutes, 0);
    expect(target(t, `compute.${D}`, '/compute/x')).toBe('http://127.0.0.1:9003');
    expect(t.cachedEntries).toBe(0);
  });
  it('is not affected by later mutation of the routes it was given', () => {
    const routes = [r('m.test', '/', 'http://127.0.0.1:1')];
    const t = new RouteTable(routes);
    routes[0]!.target = 'http://127.0.0.1:666';
    expect(target(t, 'm.test', '/')).toBe('http://127.0.0.1:1');
  });
});
