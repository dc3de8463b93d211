import { describe, expect, it } from 'vitest';
import { ConfigError, env, loadConfig, serviceConfigShape } from './index';

describe('loadConfig', () => {
  it('applies defaults and coerces types', () => {
    const config = loadConfig(serviceConfigShape(4001), {});
    expect(config.PORT).toBe(4001);
    expect(config.EDD_DOMAIN).toBe('cloud.localhost');
    expect(config.CORS_EXTRA_ORIGINS).toEqual([]);
  });

  it('reads values from the environment', () => {
    const config = loadConfig(
      { PORT: env.port(), FLAG: env.bool(), ORIGINS: env.list() },
      { PORT: '8080', FLAG: 'yes', ORIGINS: ' http://a , ,http://b' },
    );
    expect(config).toEqual({ PORT: 8080, FLAG: true, ORIGINS: ['http://a', 'http://b'] });
  });

  it('lists every bad or missing variable in one error', () => {
    let caught: unknown;
    try {
      loadConfig(
        { PORT: env.port(), SECRET: env.string(), URL: env.url(), FLAG: env.bool() },
        { PORT: '99999', URL: 'nope', FLAG: 'maybe' },
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.map((p) => p.split(':')[0])).toEqual(['PORT', 'SECRET', 'URL', 'FLAG']);
    expect((caught as ConfigError).message).toContain('invalid configuration');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ HOST: env.string().default('127.0.0.1') }, { HOST: '' }).HOST).toBe('127.0.0.1');
  });
});
