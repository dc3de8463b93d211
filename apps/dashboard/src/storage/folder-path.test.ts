import { describe, expect, it } from 'vitest';
import { breadcrumbs, folderName, folderNameProblem, normalisePrefix, parentPrefix, pathInFolder, subfolderPrefix } from './folder-path';

describe('breadcrumbs', () => {
  it('starts at the namespace and adds one crumb per folder', () => {
    expect(breadcrumbs('me', 'photos/2024/')).toEqual([
      { label: 'me', prefix: '' },
      { label: 'photos', prefix: 'photos/' },
      { label: '2024', prefix: 'photos/2024/' },
    ]);
  });

  it('is the namespace alone at the root', () => {
    expect(breadcrumbs('me', '')).toEqual([{ label: 'me', prefix: '' }]);
  });

  it('ignores doubled and missing slashes', () => {
    expect(breadcrumbs('me', '/a//b').map((crumb) => crumb.prefix)).toEqual(['', 'a/', 'a/b/']);
  });
});

describe('prefixes', () => {
  it('normalises what a URL may carry', () => {
    expect(normalisePrefix(null)).toBe('');
    expect(normalisePrefix('/')).toBe('');
    expect(normalisePrefix('a')).toBe('a/');
    expect(normalisePrefix('a//b/')).toBe('a/b/');
  });

  it('names a sub-folder by its last segment', () => {
    expect(folderName('photos/2024/')).toBe('2024');
    expect(folderName('top/')).toBe('top');
  });

  it('puts a file in the current folder', () => {
    expect(pathInFolder('', 'a.txt')).toBe('a.txt');
    expect(pathInFolder('photos/2024/', 'a b.jpg')).toBe('photos/2024/a b.jpg');
  });

  it('finds the folder above', () => {
    expect(parentPrefix('a/b/')).toBe('a/');
    expect(parentPrefix('a/')).toBe('');
    expect(parentPrefix('')).toBe('');
  });
});

describe('subfolderPrefix', () => {
  it('takes full prefixes as they are and bare names relative to the folder', () => {
    expect(subfolderPrefix('photos/', 'photos/2024/')).toBe('photos/2024/');
    expect(subfolderPrefix('photos/', '2024')).toBe('photos/2024/');
    expect(subfolderPrefix('', 'photos/')).toBe('photos/');
  });
});

describe('folderNameProblem', () => {
  it('accepts ordinary names', () => {
    expect(folderNameProblem('photos 2024')).toBeNull();
    expect(folderNameProblem('café')).toBeNull();
  });

  it.each(['', '  ', 'a/b', 'a\\b', '.', '..', 'a\u0000b', 'x'.repeat(256)])('refuses %j', (name) => {
    expect(folderNameProblem(name)).not.toBeNull();
  });
});
