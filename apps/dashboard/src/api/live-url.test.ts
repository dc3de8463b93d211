import { describe, expect, it } from 'vitest';
import { liveSocketUrl } from './live-url';

describe('liveSocketUrl', () => {
  it('keeps host and port and switches to ws for http', () => {
    expect(liveSocketUrl('http://compute.cloud.localhost:18080', '/compute/ws', { ticket: 'abc' })).toBe(
      'ws://compute.cloud.localhost:18080/compute/ws?ticket=abc',
    );
  });

  it('uses wss behind https and encodes the parameters', () => {
    expect(liveSocketUrl('https://compute.example.com', '/compute/containers/ab12cd34/logs', { tail: '200', ticket: 'a+b/c=' })).toBe(
      'wss://compute.example.com/compute/containers/ab12cd34/logs?tail=200&ticket=a%2Bb%2Fc%3D',
    );
  });
});
