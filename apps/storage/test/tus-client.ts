// What storage's tus tests send: the protocol's headers, its metadata encoding and tus-js-client runs.
import { createHash } from 'node:crypto';
import { Upload } from 'tus-js-client';

export const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** tus 1.0.0 headers as `token` (plus `extra`). */
export const tusHeaders = (token: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'tus-resumable': '1.0.0',
  ...extra,
  authorization: `Bearer ${token}`,
});

/** An Upload-Metadata value: `key base64(value)` pairs, comma-separated. */
export const metadataHeader = (values: Record<string, string>): string =>
  Object.entries(values)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');

/** Runs a tus-js-client upload to its end (or its error). */
export function runUpload(data: Buffer, options: ConstructorParameters<typeof Upload>[1]): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const upload: Upload = new Upload(data, { retryDelays: null, ...options, onSuccess: () => resolve(upload), onError: reject });
    upload.start();
  });
}
