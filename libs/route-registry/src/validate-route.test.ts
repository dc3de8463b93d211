import { describe, expect, it } from 'vitest';
import { routeToJson, validateRoute } from './validate-route';

const problems = (input: unknown) => {
  const result = validateRoute(input);
  return result.ok ? [] : result.problems;
};

describe('validateRoute', () => {
  it('normalises host, prefix and target and fills defaults', () => {
    expect(validateRoute({ host: ' Auth.Test. ', path_prefix: '/a//', target: 'HTTPS://Svc:443/' })).toEqual({
      ok: true,
      route: { host: 'auth.test', pathPrefix: '/a', target: 'https://svc', stripPrefix: false, priority: 0 },
    });
  });
  it('accepts IPv4 and bracketed IPv6 hosts', () => {
    expect(problems({ host: '127.0.0.1', path_prefix: '/', target: 'http://x' })).toEqual([]);
    expect(problems({ host: '[::1]', path_prefix: '/', target: 'http://[::1]:4001' })).toEqual([]);
  });
  it.each([
    [{ path_prefix: '/', target: 'http://x' }, /^host: /],
    [{ host: 'a b', path_prefix: '/', target: 'http://x' }, /^host: must be a host name/],
    [{ host: '-a.test', path_prefix: '/', target: 'http://x' }, /^host: must be a host name/],
    [{ host: '[::1]:80', path_prefix: '/', target: 'http://x' }, /^host: must not include a port/],
    [{ host: 'a.test', path_prefix: '/a b', target: 'http://x' }, /^path_prefix: /],
    [{ host: 'a.test', path_prefix: '/a#b', target: 'http://x' }, /^path_prefix: /],
    [{ host: 'a.test', path_prefix: '/é', target: 'http://x' }, /^path_prefix: /],
    [{ host: 'a.test', path_prefix: 5, target: 'http://x' }, /^path_prefix: /],
    [{ host: 'a.test', path_prefix: '/', target: 'http://u:p@x' }, /^target: must not contain credentials/],
    [{ host: 'a.test', path_prefix: '/', target: 'http://x?y' }, /^target: must be an origin/],
    [{ host: 'a.test', path_prefix: '/', target: 'http://' }, /^target: must be an http\(s\) URL/],
    [{ host: 'a.test', path_prefix: '/', target: 'http://x', priority: 2_000_000 }, /^priority: /],
    [{ host: 'a.test', path_prefix: '/', target: 'file:///etc/passwd' }, /^target: must use http or https/],
    [{ host: 'a.test', path_prefix: '/', target: 'file:/etc/passwd' }, /^target: must be an origin/],
    [{ host: 'a.test', path_prefix: '/', target: 'javascript:alert(1)' }, /^target: must be an http\(s\) URL/],
    [{ host: 'a.test', path_prefix: '/', target: 'gopher://x:70' }, /^target: must use http or https/],
  ])('rejects %j', (input, pattern) => {
    expect(problems(input)[0]).toMatch(pattern);
  });
  it('round-trips to the wire form', () => {
    const result = validateRoute({ host: 'a.test', path_prefix: '/x', target: 'http://x:1', strip_prefix: true });
    expect(result.ok && routeToJson({ ...result.route, id: 4 })).toEqual({
      id: 4,
      host: 'a.test',
      path_prefix: '/x',
      target: 'http://x:1',
      strip_prefix: true,
      priority: 0,
    });
  });
});

describe('validateRoute: unknown keys', () => {
  it('rejects unknown keys so a typo is not silently ignored', () => {
    expect(problems({ host: 'a.test', path_prefix: '/', target: 'http://x', strip_prefx: true })[0]).toMatch(/strip_prefx/);
  });
});
