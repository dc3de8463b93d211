import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeGetOptions {
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * GET one API path as JSON with the kubeconfig's credentials (token, client certificate, CA: client-node's own
 * applyToHTTPSOptions), bounded in time and size. Used instead of the generated clients so a path is sent as written
 * (client-node escapes the `/` of a node-proxy path) and the JSON is read as the API wrote it.
 */
export async function kubeGetJson(kubeConfig: KubeConfig, path: string, options: KubeGetOptions = {}): Promise<unknown> {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  const url = new URL(path, cluster.server.endsWith('/') ? cluster.server : `${cluster.server}/`);
  const requestOptions: https.RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(requestOptions);
  const secure = url.protocol === 'https:';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).get(
      url,
      { ...requestOptions, ...(secure ? {} : { agent: undefined }), headers: { ...requestOptions.headers, accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            request.destroy(new Error(`${path}: answer larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) !== 200) return reject(new Error(`${path}: ${res.statusCode} ${text.slice(0, 200)}`));
          try {
            resolve(JSON.parse(text));
          } catch {
            reject(new Error(`${path}: not JSON`));
          }
        });
        res.on('error', reject);
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`${path}: no answer in ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}
