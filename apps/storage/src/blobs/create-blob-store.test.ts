import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@edd/config';
import { describe, expect, it } from 'vitest';
import { blobStoreConfigShape, createBlobStore } from './index';
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from './s3/testing';
import { readAll, streamOf } from './test/byte-sources';

function capturingLogger() {
  const lines: string[] = [];
  return { lines, info: (msg: string) => void lines.push(msg) };
}

const configFrom = (env: Record<string, string>) => loadConfig(blobStoreConfigShape, env);

describe('createBlobStore', () => {
  it('uses the disk by default and says why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'blob-config-'));
    try {
      const logger = capturingLogger();
      const store = await createBlobStore(configFrom({ STORAGE_DIR: dir }), logger);
      expect(store.engine).toBe('fs');
      expect(logger.lines).toEqual([`blob store: fs at ${dir}, because STORAGE_S3_BUCKET is not set (STORAGE_BACKEND=auto)`]);
      await store.write('ns/file', streamOf(Buffer.from('on disk')));
      expect(await readFile(join(dir, 'objects', 'ns', 'file'), 'utf8')).toBe('on disk');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('defaults STORAGE_DIR to .data/storage', () => {
    expect(configFrom({}).STORAGE_DIR).toBe('.data/storage');
  });

  it('uses S3 once a bucket is configured, reaching it with the configured endpoint and credentials', async () => {
    const server = await startLocalS3('configured');
    try {
      const logger = capturingLogger();
      const config = configFrom({
        STORAGE_S3_BUCKET: server.bucket,
        STORAGE_S3_ENDPOINT: server.endpoint,
        STORAGE_S3_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
        STORAGE_S3_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
        STORAGE_S3_FORCE_PATH_STYLE: 'true',
        STORAGE_S3_KEY_PREFIX: 'storage/',
      });
      const store = await createBlobStore(config, logger);
      expect(store.engine).toBe('s3');
      expect(logger.lines).toEqual([
        `blob store: s3 bucket configured at ${server.endpoint}, because STORAGE_S3_BUCKET is set (STORAGE_BACKEND=auto)`,
      ]);
      await store.probe();
      await store.write('ns/file', streamOf(Buffer.from('in a bucket')));
      expect((await readAll(await store.read('ns/file'))).toString()).toBe('in a bucket');
      await store.close();
    } finally {
      await server.stop();
    }
  });

  it('follows STORAGE_BACKEND over the bucket', async () => {
    const logger = capturingLogger();
    const store = await createBlobStore(configFrom({ STORAGE_BACKEND: 'fs', STORAGE_S3_BUCKET: 'b' }), logger);
    expect(store.engine).toBe('fs');
    expect(logger.lines[0]).toMatch(/because STORAGE_BACKEND=fs$/);
  });

  it('refuses an s3 backend without a bucket, half a credential, or a bad key prefix', async () => {
    const logger = capturingLogger();
    await expect(createBlobStore(configFrom({ STORAGE_BACKEND: 's3' }), logger)).rejects.toThrow(ConfigError);
    await expect(createBlobStore(configFrom({ STORAGE_S3_BUCKET: 'b', STORAGE_S3_ACCESS_KEY_ID: 'id' }), logger)).rejects.toThrow(
      /set both or neither/,
    );
    for (const prefix of ['../', 'no-slash', '/abs/'])
      await expect(createBlobStore(configFrom({ STORAGE_S3_BUCKET: 'b', STORAGE_S3_KEY_PREFIX: prefix }), logger)).rejects.toThrow(
        /STORAGE_S3_KEY_PREFIX: invalid blob key/,
      );
    expect(logger.lines).toEqual([]);
  });
});
