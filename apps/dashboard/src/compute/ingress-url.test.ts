import { describe, expect, it } from 'vitest';
import { ingressPortProblem, ingressUrl, isIngressPort, isTargetPort } from './ingress-url';

const host = 'ab12cd34.compute.cloud.localhost';

describe('ingressUrl', () => {
  it('leaves the port out for 80', () => {
    expect(ingressUrl(host, 80)).toBe('http://ab12cd34.compute.cloud.localhost/');
  });

  it('uses https without a port for 443', () => {
    expect(ingressUrl(host, 443)).toBe('https://ab12cd34.compute.cloud.localhost/');
  });

  it('names any other port', () => {
    expect(ingressUrl(host, 8080)).toBe('http://ab12cd34.compute.cloud.localhost:8080/');
    expect(ingressUrl(host, 8999)).toBe('http://ab12cd34.compute.cloud.localhost:8999/');
  });
});

describe('isIngressPort', () => {
  it('accepts 80, 443 and the 8000–8999 range only', () => {
    expect([80, 443, 8000, 8080, 8999].every(isIngressPort)).toBe(true);
    expect([0, 22, 81, 442, 7999, 9000, 8080.5, Number.NaN].some(isIngressPort)).toBe(false);
  });

  it('says which ports are allowed', () => {
    expect(ingressPortProblem(22)).toBe('External port must be 80, 443 or 8000–8999.');
    expect(ingressPortProblem(8080)).toBeUndefined();
  });
});

describe('isTargetPort', () => {
  it('accepts 1–65535', () => {
    expect(isTargetPort(1)).toBe(true);
    expect(isTargetPort(65535)).toBe(true);
    expect(isTargetPort(0)).toBe(false);
    expect(isTargetPort(65536)).toBe(false);
    expect(isTargetPort(3.5)).toBe(false);
  });
});
