import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RouteFileError, parseRoutesYaml } from './parse-routes-yaml';
import { RouteTable } from './route-table';

const manifest = readFileSync(fileURLToPath(new URL('../../../manifests/gateway-routes.yaml', import.meta.url)), 'utf8');

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof RouteFileError) return error.problems;
    throw error;
  }
  throw new Error('expected a RouteFileError');
}

describe('parseRoutesYaml', () => {
  it('reads the repository manifest with the seed table under EDD_DOMAIN', () => {
    const routes = parseRoutesYaml(manifest, { domain: 'cloud.localhost', env: {} });
    const table = new RouteTable(routes);
    const at = (host: string, path = '/') => table.match(host, path)?.route.target;
    expect(routes).toHaveLength(9);
    expect(at('cloud.localhost')).toBe('http://127.0.0.1:4000');
    expect(at('cloud.cloud.localhost')).toBe('http://127.0.0.1:4000');
    expect(at('auth.cloud.localhost')).toBe('http://127.0.0.1:4001');
    expect(at('storage.cloud.localhost')).toBe('http://127.0.0.1:4002');
    expect(at('compute.cloud.localhost')).toBe('http://127.0.0.1:4003');
    expect(at('health.cloud.localhost')).toBe('http://127.0.0.1:4004');
    expect(at('health.cloud.localhost', '/logs/stream')).toBe('http://127.0.0.1:4005');
    expect(table.match('health.cloud.localhost', '/logs/stream')?.upstreamPath).toBe('/logs/stream');
    expect(at('notifications.cloud.localhost')).toBe('http://127.0.0.1:4006');
    expect(at('docs.cloud.localhost')).toBe('http://127.0.0.1:4007');
  });

  it('substitutes the domain and lets the environment override targets', () => {
    const routes = parseRoutesYaml(manifest, {
      domain: 'example.org',
      env: { AUTH_UPSTREAM: 'http://auth-service:80', EDD_DOMAIN: 'ignored.test' },
    });
    const auth = routes.find((r) => r.host === 'auth.example.org');
    expect(auth?.target).toBe('http://auth-service');
    expect(routes.every((r) => r.host === 'example.org' || r.host.endsWith('.example.org'))).toBe(true);
  });

  it('accepts path_prefix, priority and the host:port target shorthand', () => {
    const routes = parseRoutesYaml(
      `routes:\n  - host: A.test\n    path_prefix: /x/\n    target: svc:8080\n    strip_prefix: true\n    priority: 7\n`,
      { domain: 'd', env: {} },
    );
    expect(routes).toEqual([{ host: 'a.test', pathPrefix: '/x', target: 'http://svc:8080', stripPrefix: true, priority: 7 }]);
  });

  it('names every bad entry and its problem', () => {
    const problems = problemsOf(() =>
      parseRoutesYaml(
        [
          'routes:',
          '  - host: ok.test',
          '    path: /',
          '    target: http://127.0.0.1:1',
          '  - host: bad.test',
          '    path: nope?',
          '    target: ftp://x',
          '  - host: port.test:80',
          '    path: /',
          '    target: http://127.0.0.1:1/base',
          '  - host: env.test',
          '    path: /',
          '    target: ${MISSING_UPSTREAM}',
          '  - just a string',
          '  - host: ok.test',
          '    path: /',
          '    target: http://127.0.0.1:2',
          '  - host: prio.test',
          '    path: /',
          '    target: http://127.0.0.1:2',
          '    priority: 1.5',
          '    strip_prefix: "yes"',
        ].join('\n'),
        { domain: 'd', env: {} },
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^routes\[1\] \(bad\.test nope\?\): path_prefix: must start with "\/"/),
      expect.stringMatching(/^routes\[1\] .*target: must use http or https/),
      expect.stringMatching(/^routes\[2\] \(port\.test:80 \/\): host: must not include a port/),
      expect.stringMatching(/^routes\[2\] .*target: must be an origin without path/),
      expect.stringMatching(/^routes\[3\] \(env\.test \/\): target: variable MISSING_UPSTREAM is not set/),
      expect.stringMatching(/^routes\[3\] .*target: is required/),
      'routes[4]: expected a mapping with host, path and target',
      expect.stringMatching(/^routes\[5\] \(ok\.test \/\): duplicates routes\[0\]/),
      expect.stringMatching(/^routes\[6\] .*strip_prefix: /),
      expect.stringMatching(/^routes\[6\] .*priority: /),
    ]);
  });

  it('rejects a file without a routes list, and invalid YAML', () => {
    expect(problemsOf(() => parseRoutesYaml('hello: 1', { domain: 'd' }))).toEqual(['expected a top-level "routes:" list']);
    expect(problemsOf(() => parseRoutesYaml('routes: [', { domain: 'd' }))[0]).toMatch(/^not valid YAML/);
  });

  it('an empty list is a valid (empty) table', () => {
    expect(parseRoutesYaml('routes: []', { domain: 'd' })).toEqual([]);
  });
});
