// A rollout runs two versions of a type's payload side by side: publishers of the new code stamp v2 while
// consumers of the old code still read, and the reverse. Both directions must be read, never terminated.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineEvent, eventCatalog } from '../src/catalog';
import { decodeEnvelope, encodeEnvelope, mintMeta } from '../src/envelope';
import { prepareEvent } from '../src/prepare';
import { samplePayload } from '../src/samples';

const type = 'storage.file.uploaded';
const subject = 'storage.file.u1.uploaded';
const v1 = eventCatalog[type];
const v1Data = samplePayload(type, 'u1');

// v2 adds a field with a default (older messages get it) and a required one an upgrade derives from v1.
const v2 = defineEvent(
  'STORAGE',
  v1.schema.extend({ storageClass: z.enum(['standard', 'archive']).default('standard'), sizeKiB: z.number().int().min(0) }),
  'storage.file.{ownerId}.uploaded',
  {
    version: 2,
    upgrade: (data, fromVersion) => {
      const old = data as { size?: number };
      return fromVersion < 2 ? { ...old, sizeKiB: Math.ceil((old.size ?? 0) / 1024) } : data;
    },
  },
);
const v2Data = { ...v1Data, storageClass: 'archive', sizeKiB: 121 };

describe('per-type versions', () => {
  it('every type starts at version 1, and publishers stamp it', () => {
    for (const def of Object.values(eventCatalog)) expect(def.version).toBe(1);
    expect(prepareEvent(type, v1Data, { source: 'storage' }).meta.version).toBe(1);
  });

  it('a v1 consumer reads a v2 message: new fields are stripped, nothing is terminated', () => {
    const body = encodeEnvelope(mintMeta('storage', undefined, 2), v2Data);
    const decoded = decodeEnvelope(type, subject, body, v1);
    expect(decoded).toMatchObject({ ok: true, event: { meta: { version: 2 }, data: v1Data } });
    if (decoded.ok) expect(decoded.event.data).not.toHaveProperty('storageClass');
  });

  it('a v2 consumer reads a v1 message: upgraded, and the schema defaults fill the rest', () => {
    const body = encodeEnvelope(mintMeta('storage', undefined, 1), v1Data);
    const decoded = decodeEnvelope(type, subject, body, v2);
    expect(decoded).toMatchObject({
      ok: true,
      event: { meta: { version: 1 }, data: { ...v1Data, storageClass: 'standard', sizeKiB: 121 } },
    });
  });

  it('a v2 consumer reads a v2 message without upgrading it', () => {
    const decoded = decodeEnvelope(type, subject, encodeEnvelope(mintMeta('storage', undefined, 2), v2Data), v2);
    expect(decoded).toMatchObject({ ok: true, event: { data: v2Data } });
  });

  it('a newer message this consumer cannot read is retryable (another replica may), an invalid current one is not', () => {
    const newer = decodeEnvelope(type, subject, encodeEnvelope(mintMeta('storage', undefined, 2), { ...v1Data, size: 'big' }), v1);
    expect(newer).toMatchObject({ ok: false, retryable: true, reason: expect.stringMatching(/version 2, this consumer reads up to 1/u) });
    const current = decodeEnvelope(type, subject, encodeEnvelope(mintMeta('storage'), { ...v1Data, size: 'big' }), v1);
    expect(current).toMatchObject({ ok: false, retryable: false });
  });

  it('refuses a version that is not a positive integer in a definition', () => {
    expect(() => defineEvent('STORAGE', v1.schema, 'storage.file.{ownerId}.uploaded', { version: 0 })).toThrow(/positive integer/u);
  });
});
