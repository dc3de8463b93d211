import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_ENTRY_POINTS, DEV_SERVICE_API_KEY, env, loadServiceConfig, publicEntryPoints } from './index';

describe('the shared service configuration', () => {
  it('finds the auth service and the development service key with no setup', () => {
    const config = loadServiceConfig(4002, {}, {});
    expect(config.AUTH_URL).toBe('http://127.0.0.1:4001');
    expect(config.SERVICE_API_KEY).toBe(DEV_SERVICE_API_KEY);
    expect(config.NODE_ENV).toBe('development');
  });

  it('adds the service its own variables', () => {
    const config = loadServiceConfig(4005, { GRPC_PORT: env.port().default(50051) }, { GRPC_PORT: '6000' });
    expect(config.GRPC_PORT).toBe(6000);
    expect(config.PORT).toBe(4005);
  });

  it('refuses production without a service key of its own', () => {
    expect(() => loadServiceConfig(4002, {}, { NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadServiceConfig(4002, {}, { NODE_ENV: 'production' })).toThrow(/SERVICE_API_KEY: must be set in production/);
    // Set explicitly to the development value is no better than unset.
    expect(() => loadServiceConfig(4002, {}, { NODE_ENV: 'production', SERVICE_API_KEY: DEV_SERVICE_API_KEY })).toThrow(/SERVICE_API_KEY/);
    expect(loadServiceConfig(4002, {}, { NODE_ENV: 'production', SERVICE_API_KEY: 'a-real-service-key' }).SERVICE_API_KEY).toBe(
      'a-real-service-key',
    );
  });

  it('refuses a service key too short to be a secret', () => {
    expect(() => loadServiceConfig(4002, {}, { SERVICE_API_KEY: 'short' })).toThrow(/SERVICE_API_KEY/);
  });

  it('serves only https:443 in production unless PUBLIC_ENTRY_POINTS says otherwise', () => {
    expect(publicEntryPoints({ NODE_ENV: 'production', PUBLIC_ENTRY_POINTS: undefined })).toEqual(['https:443']);
    expect(publicEntryPoints({ NODE_ENV: 'development', PUBLIC_ENTRY_POINTS: undefined })).toEqual(DEV_ENTRY_POINTS);
    expect(publicEntryPoints({ NODE_ENV: 'production', PUBLIC_ENTRY_POINTS: ['https:8443'] })).toEqual(['https:8443']);
  });
});
