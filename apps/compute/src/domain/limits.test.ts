import { describe, expect, it } from 'vitest';
import { sizeContainer } from './instance-types';
import { checkImage, checkMountPaths, isAllowedExternalPort, MAX_MOUNT_PATHS } from './limits';

describe('mount paths', () => {
  it('accepts absolute normalised paths', () => {
    expect(checkMountPaths(['/root', '/srv/data', '/home/me'])).toEqual({ ok: true, value: ['/root', '/srv/data', '/home/me'] });
  });

  it('refuses relative, traversing, unnormalised, system, duplicate, nested and too many paths', () => {
    const refusals: Array<[string[], RegExp]> = [
      [['root'], /absolute/],
      [['/root/../etc'], /".."/],
      [['/a//b'], /normalised/],
      [['/a/./b'], /normalised/],
      [['/a/'], /normalised/],
      [['/'], /system directory/],
      [['/etc'], /system directory/],
      [['/a\nb'], /control character/],
      [['/data', '/data'], /twice/],
      [['/data', '/data/x'], /inside "\/data"/],
      [Array.from({ length: MAX_MOUNT_PATHS + 1 }, (_, i) => `/m${i}`), /mount path limit/],
    ];
    for (const [paths, error] of refusals) {
      const result = checkMountPaths(paths);
      expect(result.ok, paths.join(',')).toBe(false);
      if (!result.ok) expect(result.error).toMatch(error);
    }
  });
});

describe('images', () => {
  const allowed = { defaultImage: 'base:1', prefix: 'registry.cloud.localhost/' };
  it('allows the default image and well-formed images under the prefix only', () => {
    expect(checkImage('base:1', allowed).ok).toBe(true);
    expect(checkImage('registry.cloud.localhost/u1/app:v2', allowed).ok).toBe(true);
    for (const image of [
      'docker.io/library/ubuntu',
      'registry.cloud.localhost/',
      'registry.cloud.localhost/../x',
      'registry.cloud.localhost.evil/x',
    ]) {
      expect(checkImage(image, allowed).ok, image).toBe(false);
    }
  });
});

describe('instance sizes', () => {
  it('fills defaults and enforces the type’s bounds, naming the limit', () => {
    expect(sizeContainer('nano')).toMatchObject({ ok: true, memoryMb: 512, storageGb: 5, type: { cpuMillis: 500 } });
    expect(sizeContainer('small', 4096, 40)).toMatchObject({ ok: true });
    expect(sizeContainer('nano', 4096)).toEqual({ ok: false, error: 'memory limit: nano allows memory_mb from 128 to 1024' });
    expect(sizeContainer('nano', 512, 11)).toEqual({ ok: false, error: 'storage limit: nano allows storage_gb from 1 to 10' });
    expect(sizeContainer('huge')).toMatchObject({ ok: false, error: expect.stringMatching(/unknown instance_type/) });
  });
});

describe('external ports', () => {
  it('allows 80, 443 and 8000-8999 only', () => {
    expect([80, 443, 8000, 8999].every(isAllowedExternalPort)).toBe(true);
    expect([22, 81, 7999, 9000, 0].some(isAllowedExternalPort)).toBe(false);
  });
});
