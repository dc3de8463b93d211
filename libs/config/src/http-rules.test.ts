import { describe, expect, it } from 'vitest';
import { isValidRequestId, MAX_CLIENT_HEADER_LINES, SERVICE_MAX_HEADER_LINES } from './http-rules';

describe('shared HTTP rules', () => {
  it('keeps short printable ids and refuses the rest (gateway and services alike)', () => {
    for (const ok of ['a', 'abc-123', 'f3e1.9:z_Z', 'x'.repeat(128)]) expect(isValidRequestId(ok), ok).toBe(true);
    for (const bad of ['', 'a/b', 'a+b', 'a=b', 'a@b', 'a b', 'x'.repeat(129), 'é']) expect(isValidRequestId(bad), bad).toBe(false);
  });

  it('leaves room for the gateway forwarding fields within what a service keeps', () => {
    expect(MAX_CLIENT_HEADER_LINES).toBeLessThan(SERVICE_MAX_HEADER_LINES);
  });
});
