import { describe, expect, it } from 'vitest';
import { appendLogLines, isAtBottom } from './log-buffer';

describe('appendLogLines', () => {
  it('appends in order while under the limit', () => {
    expect(appendLogLines(['a'], ['b', 'c'], 5)).toEqual(['a', 'b', 'c']);
  });

  it('drops the oldest lines past the limit', () => {
    expect(appendLogLines(['a', 'b', 'c'], ['d', 'e'], 4)).toEqual(['b', 'c', 'd', 'e']);
  });

  it('keeps only the newest of a batch larger than the limit', () => {
    expect(appendLogLines(['a'], ['1', '2', '3', '4'], 3)).toEqual(['2', '3', '4']);
  });

  it('never changes the array it was given', () => {
    const lines = ['a', 'b'];
    const next = appendLogLines(lines, ['c'], 2);
    expect(lines).toEqual(['a', 'b']);
    expect(next).toEqual(['b', 'c']);
  });
});

describe('isAtBottom', () => {
  it('follows at the end and a few pixels above it', () => {
    expect(isAtBottom({ scrollTop: 800, scrollHeight: 1000, clientHeight: 200 })).toBe(true);
    expect(isAtBottom({ scrollTop: 780, scrollHeight: 1000, clientHeight: 200 })).toBe(true);
  });

  it('stops following once the user scrolled up', () => {
    expect(isAtBottom({ scrollTop: 500, scrollHeight: 1000, clientHeight: 200 })).toBe(false);
  });
});
