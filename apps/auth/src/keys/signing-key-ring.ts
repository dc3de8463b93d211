import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { Logger } from '@edd/logger';
import {
  findCurrentSigningKey,
  insertSigningKey,
  listPublishedSigningKeys,
  lockSigningKeys,
  retireCurrentSigningKeys,
} from '../data/signing-keys';
import type { Queryable } from '../data/queryable';
import { openPrivateKey, sealPrivateKey } from './key-sealing';

export const SIGNING_ALG = 'EdDSA';
/** Clock skew allowance added to how long a retired key stays published. */
const PUBLISH_MARGIN_MS = 5 * 60_000;
const REFRESH_MS = 60_000;
const MISS_REFRESH_MS = 5_000;

export interface KeyStore extends Queryable {
  tx<T>(fn: (client: Queryable) => Promise<T>): Promise<T>;
}

export interface KeyRingOptions {
  sessionTtlMs: number;
  encryptionSecret: string | undefined;
  logger: Logger;
  /** Production without an encryption secret is logged as an error, not a warning. */
  production?: boolean;
}

interface LoadedKeys {
  current: { kid: string; privateKey: KeyObject };
  published: Map<string, { publicKey: KeyObject; jwk: JWK }>;
  loadedAt: number;
}

async function createKey(db: Queryable, secret: string | undefined): Promise<string> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const privateJwk = privateKey.export({ format: 'jwk' }) as JWK;
  const publicJwk: JWK = { kty: privateJwk.kty, crv: privateJwk.crv, x: privateJwk.x };
  const kid = await calculateJwkThumbprint(publicJwk);
  await insertSigningKey(db, {
    kid,
    alg: SIGNING_ALG,
    privateKey: sealPrivateKey(privateJwk, secret),
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: 'sig' },
  });
  return kid;
}

/**
 * Replaces the current signing key. The previous key stays in the JWKS until every session token it signed has
 * expired (session TTL + margin), so verifiers that cached the old JWKS keep working through a rotation.
 */
export async function rotateSigningKey(db: KeyStore, options: Omit<KeyRingOptions, 'logger'>): Promise<string> {
  return db.tx(async (client) => {
    await lockSigningKeys(client);
    await retireCurrentSigningKeys(client, options.sessionTtlMs + PUBLISH_MARGIN_MS);
    return createKey(client, options.encryptionSecret);
  });
}

/** The service's view of its signing keys, reloaded from the database so replicas converge after a rotation. */
export class SigningKeyRing {
  private loaded: LoadedKeys | undefined;
  private lastMissRefresh = 0;
  private reloading: Promise<LoadedKeys> | undefined;

  constructor(
    private readonly db: KeyStore,
    private readonly options: KeyRingOptions,
  ) {}

  /** Creates the first key if there is none (once, even with several replicas starting together), then loads. */
  async init(): Promise<void> {
    if (!this.options.encryptionSecret) {
      const log = this.options.production ? this.options.logger.error : this.options.logger.warn;
      log('AUTH_KEY_ENCRYPTION_SECRET is not set: the JWT signing key is stored unencrypted (acceptable in development only)');
    }
    await this.db.tx(async (client) => {
      await lockSigningKeys(client);
      if (await findCurrentSigningKey(client)) return;
      const kid = await createKey(client, this.options.encryptionSecret);
      this.options.logger.info('created the JWT signing key', { kid });
    });
    await this.reload();
  }

  /** Concurrent callers share one reload (every request arriving as the keys turn stale would otherwise query). */
  private reload(): Promise<LoadedKeys> {
    this.reloading ??= this.load().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async load(): Promise<LoadedKeys> {
    const current = await findCurrentSigningKey(this.db);
    if (!current) throw new Error('no current signing key (was init() called?)');
    const published = new Map<string, { publicKey: KeyObject; jwk: JWK }>();
    for (const row of await listPublishedSigningKeys(this.db))
      published.set(row.kid, { publicKey: createPublicKey({ key: row.publicJwk, format: 'jwk' }), jwk: row.publicJwk });
    const privateJwk = openPrivateKey(current.privateKey, this.options.encryptionSecret);
    if (current.privateKey.format === 'plain' && this.options.encryptionSecret)
      this.options.logger.warn('the current signing key was stored unencrypted; rotate it to seal the new key', { kid: current.kid });
    this.loaded = {
      current: { kid: current.kid, privateKey: createPrivateKey({ key: privateJwk, format: 'jwk' }) },
      published,
      loadedAt: Date.now(),
    };
    return this.loaded;
  }

  private async fresh(): Promise<LoadedKeys> {
    if (this.loaded && Date.now() - this.loaded.loadedAt < REFRESH_MS) return this.loaded;
    return this.reload();
  }

  async signingKey(): Promise<{ kid: string; privateKey: KeyObject }> {
    return (await this.fresh()).current;
  }

  /** Unknown kids trigger one (throttled) reload: another replica may just have rotated. */
  async verificationKey(kid: string): Promise<KeyObject | undefined> {
    let keys = await this.fresh();
    if (!keys.published.has(kid) && Date.now() - this.lastMissRefresh > MISS_REFRESH_MS) {
      this.lastMissRefresh = Date.now();
      keys = await this.reload();
    }
    return keys.published.get(kid)?.publicKey;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [...(await this.fresh()).published.values()].map((entry) => entry.jwk) };
  }

  /** Rotates and reloads this replica at once (others pick the new key up within a minute). */
  async rotate(): Promise<string> {
    const kid = await rotateSigningKey(this.db, this.options);
    // A reload that began before the rotation committed would hand back the old key: let it finish, then load anew.
    await this.reloading?.catch(() => undefined);
    await this.reload();
    return kid;
  }
}
