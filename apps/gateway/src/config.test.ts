import { describe, expect, expectTypeOf, it } from 'vitest';
import { ConfigError } from '@edd/config';
import { loadGatewayConfig } from './config';
import type { GatewayConfig } from './config';
import type { EdgeConfig } from './edge';

describe('loadGatewayConfig', () => {
  it('has the development defaults', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      EDD_DOMAIN: 'cloud.localhost',
      GATEWAY_BIND: '127.0.0.1',
      GATEWAY_HTTP_PORT: 18080,
      GATEWAY_HTTPS_PORT: 18443,
      GATEWAY_SSH_PORT: 2222,
      GATEWAY_ADMIN_PORT: 19090,
      GATEWAY_ADMIN_BIND: '127.0.0.1',
      GATEWAY_ROUTES_FILE: 'manifests/gateway-routes.yaml',
      GATEWAY_ROUTE_CACHE_SIZE: 100,
      GATEWAY_WORKERS: 1,
      GATEWAY_IDLE_TIMEOUT_MS: 60_000,
    });
    expect(config.GATEWAY_ADMIN_TOKEN).toBeUndefined();
  });

  it('lists every bad variable at once', () => {
    try {
      loadGatewayConfig({ GATEWAY_HTTP_PORT: 'x', GATEWAY_ADMIN_TOKEN: 'short', GATEWAY_WORKERS: '-1' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual([
        'GATEWAY_ADMIN_TOKEN',
        'GATEWAY_HTTP_PORT',
        'GATEWAY_WORKERS',
      ]);
    }
  });

  it('is what the edge reads', () => {
    expectTypeOf<GatewayConfig>().toExtend<EdgeConfig>();
  });
});
