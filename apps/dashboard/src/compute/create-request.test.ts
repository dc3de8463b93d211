import { describe, expect, it } from 'vitest';
import { buildCreateRequest, emptyCreateForm, parseMountPaths } from './create-request';

describe('parseMountPaths', () => {
  it('splits lines and commas, trims and drops duplicates', () => {
    expect(parseMountPaths(' /root\n/data, /srv/www \n\n/root')).toEqual({ ok: true, value: ['/root', '/data', '/srv/www'] });
  });

  it('refuses relative paths and ..', () => {
    expect(parseMountPaths('/root\ndata')).toEqual({ ok: false, error: 'Mount paths must be absolute: “data” does not start with /.' });
    expect(parseMountPaths('/srv/../etc')).toMatchObject({ ok: false });
  });
});

describe('buildCreateRequest', () => {
  it('leaves memory and storage to the type when empty', () => {
    const result = buildCreateRequest({ ...emptyCreateForm, name: ' web ', sshKeyIds: ['k1'] });
    expect(result).toEqual({
      ok: true,
      value: { name: 'web', instance_type: 'nano', ssh_key_ids: ['k1'], ssh_enabled: true, mount_paths: ['/root'] },
    });
  });

  it('sends the sizes and the SSH switch that were chosen', () => {
    const result = buildCreateRequest({
      ...emptyCreateForm,
      name: 'db',
      instanceType: 'small',
      memoryMb: '2048',
      storageGb: '20',
      sshEnabled: false,
      mountPaths: '',
    });
    expect(result).toMatchObject({
      ok: true,
      value: { instance_type: 'small', memory_mb: 2048, storage_gb: 20, ssh_enabled: false, mount_paths: [] },
    });
  });

  it('says what is wrong with a size', () => {
    expect(buildCreateRequest({ ...emptyCreateForm, name: 'x', memoryMb: '1.5' })).toEqual({
      ok: false,
      error: 'Memory must be a whole number above 0.',
    });
    expect(buildCreateRequest({ ...emptyCreateForm, name: 'x', storageGb: '-1' })).toEqual({
      ok: false,
      error: 'Storage must be a whole number above 0.',
    });
  });
});
