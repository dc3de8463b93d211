import { describe, expect, it } from 'vitest';
import { runtimeAvailability } from './runtime-availability';

describe('runtimeAvailability', () => {
  it('is available when compute is ready and its runtime check is ok', () => {
    expect(runtimeAvailability(200, { status: 'ready', checks: { database: 'ok', runtime: 'ok' } })).toEqual({ available: true });
  });

  it('gives the runtime check’s reason when it is degraded', () => {
    const body = {
      status: 'ready',
      checks: { database: 'ok', runtime: 'degraded' },
      details: { runtime: 'sandbox: network namespaces need root. Run npm start as root.' },
    };
    expect(runtimeAvailability(200, body)).toEqual({
      available: false,
      reason: 'sandbox: network namespaces need root. Run npm start as root.',
    });
  });

  it('says the service is not ready when /readyz fails for another reason', () => {
    expect(runtimeAvailability(503, { status: 'unavailable', checks: { database: 'failing' } })).toEqual({
      available: false,
      reason: 'The compute service is not ready (it answered 503).',
    });
    expect(runtimeAvailability(502, '<html>')).toMatchObject({ available: false });
  });
});
