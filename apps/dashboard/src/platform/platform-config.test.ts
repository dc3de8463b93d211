import { describe, expect, it } from 'vitest';
import { resolvePlatform } from './platform-config';

describe('resolvePlatform', () => {
  it('uses the page host as the base domain and keeps its protocol and port', () => {
    const { domain, urls } = resolvePlatform({ hostname: 'cloud.localhost', protocol: 'http:', port: '18080' });
    expect(domain).toBe('cloud.localhost');
    expect(urls.auth).toBe('http://auth.cloud.localhost:18080');
    expect(urls.dashboard).toBe('http://cloud.localhost:18080');
  });

  it('follows the configured domain when the dashboard is served on a subdomain of it', () => {
    const { domain, urls } = resolvePlatform({ hostname: 'cloud.cloud.localhost', protocol: 'http:', port: '18080' }, 'cloud.localhost');
    expect(domain).toBe('cloud.localhost');
    expect(urls.auth).toBe('http://auth.cloud.localhost:18080');
  });

  it('works over HTTPS on the default port', () => {
    const { urls } = resolvePlatform({ hostname: 'cloud.example.com', protocol: 'https:', port: '' });
    expect(urls.auth).toBe('https://auth.cloud.example.com');
  });

  it('prefers the configured domain from the build', () => {
    const { domain, urls } = resolvePlatform({ hostname: 'dash.internal', protocol: 'https:', port: '18443' }, 'cloud.example.org');
    expect(domain).toBe('cloud.example.org');
    expect(urls.storage).toBe('https://storage.cloud.example.org:18443');
  });

  it('falls back to the local gateway when opened on the bare dev server', () => {
    expect(resolvePlatform({ hostname: '127.0.0.1', protocol: 'http:', port: '4000' }).urls.auth).toBe('http://auth.cloud.localhost:18080');
    expect(resolvePlatform({ hostname: 'localhost', protocol: 'http:', port: '4000' }, 'cloud.test').urls.auth).toBe(
      'http://auth.cloud.test:18080',
    );
  });
});
