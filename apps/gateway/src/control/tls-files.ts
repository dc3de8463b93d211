import { existsSync, readFileSync, unwatchFile, watchFile } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Logger } from '@edd/logger';

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

export interface TlsPaths {
  cert: string;
  key: string;
}

/**
 * GATEWAY_TLS_CERT / GATEWAY_TLS_KEY when set (relative paths from the workspace root), else the dev
 * certificate `.certs/dev/<domain>.crt|key` made by `npm run dev-tls` when it exists, else no TLS.
 */
export function resolveTlsPaths(
  config: { GATEWAY_TLS_CERT?: string | undefined; GATEWAY_TLS_KEY?: string | undefined; EDD_DOMAIN: string },
  workspaceRoot: string,
): TlsPaths | undefined {
  const { GATEWAY_TLS_CERT: cert, GATEWAY_TLS_KEY: key } = config;
  if (cert || key) {
    if (!cert || !key) throw new Error('GATEWAY_TLS_CERT and GATEWAY_TLS_KEY must be set together');
    const abs = (p: string) => (isAbsolute(p) ? p : resolve(workspaceRoot, p));
    return { cert: abs(cert), key: abs(key) };
  }
  const dir = join(workspaceRoot, '.certs', 'dev');
  const dev = { cert: join(dir, `${config.EDD_DOMAIN}.crt`), key: join(dir, `${config.EDD_DOMAIN}.key`) };
  return existsSync(dev.cert) && existsSync(dev.key) ? dev : undefined;
}

/** Reads the pair and checks that the key matches the certificate (throws otherwise). */
export function loadTlsMaterial(paths: TlsPaths): TlsMaterial {
  const material = { cert: readFileSync(paths.cert), key: readFileSync(paths.key) };
  createSecureContext(material);
  return material;
}

export interface TlsWatchOptions {
  logger: Logger;
  intervalMs?: number;
  debounceMs?: number;
}

/**
 * Polls both files (fs.watchFile survives the rename-over that cert tools and Kubernetes secret mounts do)
 * and calls `apply` with the new pair once writes have settled. A pair that does not load (half-written,
 * key and cert mismatched) is logged and skipped: the previous certificate stays in service.
 */
export function watchTlsFiles(paths: TlsPaths, apply: (tls: TlsMaterial) => void, options: TlsWatchOptions): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const reload = () => {
    timer = undefined;
    try {
      apply(loadTlsMaterial(paths));
      options.logger.info('TLS certificate reloaded', { cert: paths.cert });
    } catch (error) {
      options.logger.warn('TLS files changed but could not be loaded; keeping the current certificate', { error });
    }
  };
  const onChange = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(reload, options.debounceMs ?? 500);
    timer.unref();
  };
  const interval = options.intervalMs ?? 2_000;
  watchFile(paths.cert, { interval, persistent: false }, onChange);
  watchFile(paths.key, { interval, persistent: false }, onChange);
  return {
    stop() {
      if (timer) clearTimeout(timer);
      unwatchFile(paths.cert, onChange);
      unwatchFile(paths.key, onChange);
    },
  };
}
