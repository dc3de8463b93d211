import { describe, expect, it } from 'vitest';
import { DEV_DEFAULTS, loadAuthConfig } from './config';

describe('auth configuration', () => {
  it('uses development defaults and says so', () => {
    const config = loadAuthConfig({});
    expect(config.SERVICE_API_KEY).toBe(DEV_DEFAULTS.serviceApiKey);
    expect(config.DEFAULT_PASSWORD).toBe(DEV_DEFAULTS.defaultPassword);
    expect(config.devDefaultsUsed.sort()).toEqual(['DEFAULT_PASSWORD', 'SERVICE_API_KEY']);
    expect(config.SESSION_TTL).toBe(7 * 86_400_000);
    expect(config.PORT).toBe(4001);
  });

  it('refuses to run in production without a service key or a key-sealing secret, and creates no default user there', () => {
    expect(() => loadAuthConfig({ NODE_ENV: 'production' })).toThrow(/SERVICE_API_KEY[\s\S]*AUTH_KEY_ENCRYPTION_SECRET/);
    expect(() => loadAuthConfig({ NODE_ENV: 'production', SERVICE_API_KEY: 'a-real-service-key' })).toThrow(
      /AUTH_KEY_ENCRYPTION_SECRET: must be set/,
    );
    const config = loadAuthConfig({
      NODE_ENV: 'production',
      SERVICE_API_KEY: 'a-real-service-key',
      AUTH_KEY_ENCRYPTION_SECRET: 'a-sealing-secret-0123',
    });
    expect(config.DEFAULT_PASSWORD).toBeUndefined();
    expect(config.devDefaultsUsed).toEqual([]);
  });

  it('reports malformed durations', () => {
    expect(() => loadAuthConfig({ SESSION_TTL: 'a week' })).toThrow(/SESSION_TTL/);
  });
});
