import { describe, expect, it } from 'vitest';
import { substituteEnv } from './substitute-env';

describe('substituteEnv', () => {
  it('expands set variables, defaults and reports missing ones', () => {
    expect(substituteEnv('${A}-${B:-http://x:1}-${C}', { A: 'a', B: '' })).toEqual({
      value: 'a-http://x:1-',
      missing: ['C'],
    });
  });
  it('leaves text without references alone', () => {
    expect(substituteEnv('http://127.0.0.1:4001 $A {B}', {})).toEqual({ value: 'http://127.0.0.1:4001 $A {B}', missing: [] });
  });
});
