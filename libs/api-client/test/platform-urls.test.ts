import { describe, expect, it } from 'vitest';
import { platformUrls } from '../src';

describe('platformUrls', () => {
  it('puts every service on its own subdomain of the base domain, the dashboard on the domain itself', () => {
    const urls = platformUrls('cloud.localhost', { protocol: 'http', port: 18080 });
    expect(urls).toEqual({
      dashboard: 'http://cloud.localhost:18080',
      auth: 'http://auth.cloud.localhost:18080',
      storage: 'http://storage.cloud.localhost:18080',
      compute: 'http://compute.cloud.localhost:18080',
      health: 'http://health.cloud.localhost:18080',
      notifications: 'http://notifications.cloud.localhost:18080',
      docs: 'http://docs.cloud.localhost:18080',
    });
  });

  it('drops default ports and accepts window.location style values', () => {
    expect(platformUrls('cloud.example.com', { protocol: 'https:', port: '443' }).auth).toBe('https://auth.cloud.example.com');
    expect(platformUrls('cloud.example.com', { protocol: 'http', port: 80 }).auth).toBe('http://auth.cloud.example.com');
    expect(platformUrls('cloud.example.com', { protocol: 'https:', port: '' }).auth).toBe('https://auth.cloud.example.com');
    expect(platformUrls('cloud.localhost', { protocol: 'https', port: 18443 }).storage).toBe('https://storage.cloud.localhost:18443');
  });

  it('defaults to http without a port and normalises the domain', () => {
    expect(platformUrls(' Cloud.Example.COM. ').auth).toBe('http://auth.cloud.example.com');
  });

  it('rejects a domain that is really a URL, and impossible ports or protocols', () => {
    expect(() => platformUrls('http://cloud.localhost')).toThrow(/domain/);
    expect(() => platformUrls('cloud.localhost:8080')).toThrow(/domain/);
    expect(() => platformUrls('')).toThrow(/domain/);
    expect(() => platformUrls('cloud.localhost', { port: 70000 })).toThrow(/port/);
    expect(() => platformUrls('cloud.localhost', { port: 'abc' })).toThrow(/port/);
    // @ts-expect-error a protocol outside the union is refused at runtime too
    expect(() => platformUrls('cloud.localhost', { protocol: 'ftp' })).toThrow(/protocol/);
  });
});
