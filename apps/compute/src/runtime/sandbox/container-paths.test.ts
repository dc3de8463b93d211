import { describe, expect, it } from 'vitest';
import { assertContainerId, containerPaths, normaliseMountPath, volumeDirectory } from './container-paths';

describe('container paths', () => {
  it('accepts ids that fit a netns and veth name and refuses anything a path or command could abuse', () => {
    expect(() => assertContainerId('ab12cd34')).not.toThrow();
    for (const bad of ['', '../etc', 'AB12', 'a b', 'abcdefghijkl', 'a;rm']) {
      expect(() => assertContainerId(bad)).toThrow(/container id/);
    }
  });

  it('normalises mount paths and keeps them out of what the sandbox provides', () => {
    expect(normaliseMountPath('/data/')).toBe('/data');
    expect(normaliseMountPath('/srv//app/./x')).toBe('/srv/app/x');
    expect(() => normaliseMountPath('data')).toThrow(/absolute/);
    expect(() => normaliseMountPath('/')).toThrow(/cannot be \//);
    expect(() => normaliseMountPath('/data/../etc')).toThrow(/inside \/etc/);
    expect(() => normaliseMountPath('/usr/local')).toThrow(/inside \/usr/);
    expect(() => normaliseMountPath('/proc')).toThrow(/inside \/proc/);
    expect(normaliseMountPath('/usrdata')).toBe('/usrdata');
  });

  it('keeps each volume under the container’s volumes directory', () => {
    const paths = containerPaths('/srv/edd', 'ab12cd34');
    expect(volumeDirectory(paths, '/data/app')).toBe('/srv/edd/ab12cd34/volumes/data/app');
    expect(paths.log).toBe('/srv/edd/ab12cd34/output.log');
  });
});
