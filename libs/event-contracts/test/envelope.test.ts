import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, mintMeta } from '../src/envelope';
import { samplePayload } from '../src/samples';

const data = samplePayload('auth.token.revoked', 'tok1');
const subject = 'auth.token.tok1.revoked';

describe('envelope', () => {
  it('round-trips meta and data', () => {
    const meta = mintMeta('auth');
    expect(meta.eventId).toMatch(/^[0-9a-f-]{36}$/u);
    expect(meta.version).toBe(1);
    const decoded = decodeEnvelope('auth.token.revoked', subject, encodeEnvelope(meta, data));
    expect(decoded).toEqual({ ok: true, event: { type: 'auth.token.revoked', subject, meta, data } });
  });

  it.each([
    ['bad JSON', '{nope', /not valid JSON/u],
    ['missing meta', JSON.stringify({ data }), /bad envelope: meta/u],
    ['version 0', JSON.stringify({ meta: { ...mintMeta('x'), version: 0 }, data }), /bad envelope: meta.version/u],
    ['a version that is not a number', JSON.stringify({ meta: { ...mintMeta('x'), version: '1' }, data }), /bad envelope: meta.version/u],
    ['bad payload', encodeEnvelope(mintMeta('x'), { tokenId: 'tok1' }), /bad auth.token.revoked payload: userId/u],
    ['subject mismatch', encodeEnvelope(mintMeta('x'), { ...data, tokenId: 'other' }), /subject does not match/u],
  ])('rejects %s', (_name, body, reason) => {
    const decoded = decodeEnvelope('auth.token.revoked', subject, body);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toMatch(reason);
  });
});
