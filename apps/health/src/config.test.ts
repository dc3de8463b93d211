import { describe, expect, it } from 'vitest';
import { loadHealthConfig, sourceNameOf } from './config';

describe('health config', () => {
  it('defaults to the host source, 5 s samples and compute on 4003', () => {
    const config = loadHealthConfig({});
    expect(sourceNameOf(config)).toBe('host');
    expect(config).toMatchObject({
      PORT: 4004,
      HEALTH_SAMPLE_INTERVAL_MS: 5000,
      HEALTH_LEADER_RETRY_MS: 2000,
      COMPUTE_URL: 'http://127.0.0.1:4003',
    });
  });

  it('watches a cluster when KUBECONFIG is set or inside a pod, unless HEALTH_SOURCE says otherwise', () => {
    expect(sourceNameOf(loadHealthConfig({ KUBECONFIG: '/home/me/.kube/config' }))).toBe('kubernetes');
    expect(sourceNameOf(loadHealthConfig({ KUBERNETES_SERVICE_HOST: '10.43.0.1' }))).toBe('kubernetes');
    expect(sourceNameOf(loadHealthConfig({ KUBECONFIG: '/k', HEALTH_SOURCE: 'host' }))).toBe('host');
  });

  it('refuses a bad source, interval or webhook URL, naming each', () => {
    expect(() => loadHealthConfig({ HEALTH_SOURCE: 'docker', HEALTH_SAMPLE_INTERVAL_MS: '10', ALERT_WEBHOOK_URL: 'not a url' })).toThrow(
      /HEALTH_SOURCE[\s\S]*HEALTH_SAMPLE_INTERVAL_MS[\s\S]*ALERT_WEBHOOK_URL/,
    );
  });
});
