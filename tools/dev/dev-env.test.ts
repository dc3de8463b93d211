import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEV_APPS, gatewayUrl } from './apps';
import { appEnvironment, DEV_DEFAULTS, DEV_LOGIN, devLogin } from './dev-env';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');

describe('development defaults', () => {
  it('match what the apps themselves fall back to', () => {
    const auth = read('apps/auth/src/config.ts');
    expect(auth).toContain(`defaultPassword: '${DEV_LOGIN.password}'`);
    expect(auth).toContain(`DEFAULT_USERNAME: env.string().default('${DEV_LOGIN.username}')`);
    const serviceConfig = read('libs/config/src/service-config.ts');
    expect(serviceConfig).toContain(`DEV_SERVICE_API_KEY = '${DEV_DEFAULTS.SERVICE_API_KEY}'`);
    expect(serviceConfig).toContain(`DEFAULT_DOMAIN = '${DEV_DEFAULTS.EDD_DOMAIN}'`);
    // Every service's logger ships to the log service's gRPC port.
    expect(DEV_DEFAULTS.LOG_SERVICE_URL).toBe(`127.0.0.1:${DEV_APPS.find((a) => a.name === 'logs')?.extraPorts?.['grpc']}`);
  });

  it('lists the ports of the contract, each service on its own default', () => {
    expect(Object.fromEntries(DEV_APPS.map((a) => [a.name, a.port]))).toEqual({
      gateway: 18080,
      auth: 4001,
      storage: 4002,
      compute: 4003,
      health: 4004,
      logs: 4005,
      notifications: 4006,
      docs: 4007,
      dashboard: 4000,
    });
    // Each service's own default is checked against the same numbers in tools/manifests.
    expect(read('apps/dashboard/project.json')).toContain('--port 4000');
  });

  it('builds public URLs under the base domain', () => {
    const byName = (name: string) => DEV_APPS.find((a) => a.name === name)!;
    expect(gatewayUrl(byName('dashboard'), 'cloud.localhost')).toBe('http://cloud.localhost:18080');
    expect(gatewayUrl(byName('auth'), 'cloud.localhost', 'https')).toBe('https://auth.cloud.localhost:18443');
    expect(gatewayUrl(byName('logs'), 'example.test')).toBe('http://health.example.test:18080/logs');
  });

  it('lets the environment win over the defaults, and the infrastructure found win over both', () => {
    const env = appEnvironment({
      base: { SERVICE_API_KEY: 'mine-mine-mine', DATABASE_URL: 'postgres://ignored' },
      workspaceRoot: '/ws',
      infra: { DATABASE_URL: 'postgres://found' },
      tls: { certFile: '/c.crt', keyFile: '/c.key' },
    });
    expect(env['SERVICE_API_KEY']).toBe('mine-mine-mine');
    expect(env['EDD_DOMAIN']).toBe('cloud.localhost');
    expect(env['DATABASE_URL']).toBe('postgres://found');
    expect(env['GATEWAY_TLS_CERT']).toBe('/c.crt');
    expect(env['NX_TUI']).toBe('false');
    expect(env['TSX_TSCONFIG_PATH']).toBe('/ws/tsconfig.base.json');
    expect(devLogin({ DEFAULT_PASSWORD: 'other-password' })).toEqual({ username: 'admin', password: 'other-password' });
  });
});
