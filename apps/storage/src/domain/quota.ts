/** What an upload may still store, and why that much. */
export interface Allowance {
  bytes: number;
  /** The message of the 413 when an upload goes past `bytes`. */
  explain: (size: number | undefined) => string;
}

/**
 * The most one upload may store: the file size limit, and what the quota leaves once the file it replaces (if any)
 * is freed. Both limits are in the message, so the user knows which one they hit and how much is left.
 */
export function uploadAllowance(options: { quota: number; used: number; maxFile: number; replacing: number }): Allowance {
  const left = Math.max(0, options.quota - options.used);
  const quotaRoom = left + options.replacing;
  const bytes = Math.min(options.maxFile, quotaRoom);
  return {
    bytes,
    explain(size) {
      const what = size === undefined ? 'the upload' : `the upload (${size} bytes)`;
      if (options.maxFile <= quotaRoom) return `${what} is larger than the ${options.maxFile}-byte limit per file`;
      return `${what} does not fit in your storage quota: ${left} of ${options.quota} bytes left`;
    },
  };
}
