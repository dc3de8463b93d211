import { describe, expect, it } from 'vitest';
import { initialSize, parseControlMessage } from './terminal-messages';

describe('terminal control messages', () => {
  it('reads a resize', () => {
    expect(parseControlMessage('{"type":"resize","cols":120,"rows":40}')).toEqual({ type: 'resize', size: { cols: 120, rows: 40 } });
  });

  it.each([
    ['not json', 'ls\n'],
    ['an unknown type', '{"type":"paste","data":"x"}'],
    ['a size out of bounds', '{"type":"resize","cols":0,"rows":40}'],
    ['a fractional size', '{"type":"resize","cols":80.5,"rows":40}'],
    ['extra fields', '{"type":"resize","cols":80,"rows":40,"x":1}'],
  ])('refuses %s with a message', (_, text) => {
    expect(parseControlMessage(text)).toEqual({ error: expect.any(String) });
  });

  it('takes the initial size from the query, falling back to 80×24 for bad values', () => {
    expect(initialSize(new URLSearchParams('cols=132&rows=50'))).toEqual({ cols: 132, rows: 50 });
    expect(initialSize(new URLSearchParams('cols=-1&rows=abc'))).toEqual({ cols: 80, rows: 24 });
    expect(initialSize(new URLSearchParams(''))).toEqual({ cols: 80, rows: 24 });
  });
});
