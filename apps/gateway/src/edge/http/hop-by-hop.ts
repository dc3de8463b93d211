/**
 * RFC 9110 §7.6.1: a proxy removes the fields a Connection header lists (besides the ones it handles
 * itself). Rare, so this runs only when such names exist, on the already-built header block.
 */
export function removeListedFields(lines: string, names: readonly string[]): string {
  // The proxy frames and routes by these: a Connection header naming them must not make the upstream (or
  // the client) see a different message than the gateway does (a body read as the next request).
  const removable = names.filter((name) => name !== 'content-length' && name !== 'host');
  return removable.length === 0 ? lines : removeFields(lines, removable);
}

/** Removes every `name:` line (names lowercase) from a header block. */
export function removeFields(lines: string, names: readonly string[]): string {
  // A Set: a head of thousands of listed names and thousands of lines must not cost lines × names.
  const drop = new Set(names);
  return lines
    .split('\r\n')
    .filter((line) => {
      const colon = line.indexOf(':');
      return colon === -1 || !drop.has(line.slice(0, colon).trim().toLowerCase());
    })
    .join('\r\n');
}

/** Connection options that are not field names. */
export function isConnectionOption(token: string): boolean {
  return token === 'close' || token === 'keep-alive' || token === 'upgrade';
}
