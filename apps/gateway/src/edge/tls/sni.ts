/**
 * Reads the server name from a TLS ClientHello without terminating TLS (RFC 8446 §4.1.2, RFC 6066 §3).
 * Works on the complete first handshake record; returns undefined when there is no SNI or it is malformed.
 */
export const TLS_RECORD_HEADER = 5;
const HANDSHAKE = 0x16;
const CLIENT_HELLO = 0x01;
const EXT_SERVER_NAME = 0x0000;
const NAME_TYPE_HOST = 0x00;

/** Total length of the first TLS record (header included), or undefined if the header is incomplete/invalid. */
export function firstRecordLength(buf: Buffer): number | undefined {
  if (buf.length < TLS_RECORD_HEADER || buf[0] !== HANDSHAKE) return undefined;
  return TLS_RECORD_HEADER + buf.readUInt16BE(3);
}

export function parseSni(record: Buffer): string | undefined {
  try {
    let p = TLS_RECORD_HEADER;
    if (record[0] !== HANDSHAKE || record[p] !== CLIENT_HELLO) return undefined;
    p += 4; // handshake type + 24-bit length
    p += 2 + 32; // client_version + random
    p += 1 + (record[p] as number); // session_id
    p += 2 + record.readUInt16BE(p); // cipher_suites
    p += 1 + (record[p] as number); // compression_methods
    if (p + 2 > record.length) return undefined;
    const extensionsEnd = Math.min(record.length, p + 2 + record.readUInt16BE(p));
    p += 2;
    while (p + 4 <= extensionsEnd) {
      const type = record.readUInt16BE(p);
      const length = record.readUInt16BE(p + 2);
      p += 4;
      if (type === EXT_SERVER_NAME) {
        let q = p + 2; // server_name_list length
        const listEnd = Math.min(p + length, extensionsEnd);
        while (q + 3 <= listEnd) {
          const nameType = record[q];
          const nameLength = record.readUInt16BE(q + 1);
          q += 3;
          if (nameType === NAME_TYPE_HOST) {
            if (q + nameLength > listEnd) return undefined;
            const name = record.toString('latin1', q, q + nameLength).toLowerCase();
            return /^[a-z0-9.-]+$/.test(name) ? name : undefined;
          }
          q += nameLength;
        }
        return undefined;
      }
      p += length;
    }
    return undefined;
  } catch {
    return undefined; // RangeError from a truncated record
  }
}
