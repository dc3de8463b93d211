import type { LogRecord } from '../entries/log-entry';

// One stream record carries a batch of entries as a JSON array: far fewer JetStream messages than one per entry
// (what makes 20,000 entries/s cheap), and a batch stays in order.
export const MAX_ENTRIES_PER_RECORD = 500;
// Under NATS's default 1 MiB max_payload, with room for headers.
export const MAX_RECORD_BYTES = 900 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Splits entries into encoded records, each within both bounds (a lone oversized entry cannot happen: they are bounded). */
export function encodeRecords(entries: readonly LogRecord[]): Uint8Array[] {
  const records: Uint8Array[] = [];
  let chunk: string[] = [];
  let bytes = 2;
  const flush = () => {
    if (!chunk.length) return;
    records.push(encoder.encode(`[${chunk.join(',')}]`));
    chunk = [];
    bytes = 2;
  };
  for (const entry of entries) {
    const json = JSON.stringify(entry);
    // JSON of a bounded entry: at most a few times its characters in bytes.
    const size = Buffer.byteLength(json);
    if (chunk.length >= MAX_ENTRIES_PER_RECORD || (chunk.length && bytes + size + 1 > MAX_RECORD_BYTES)) flush();
    chunk.push(json);
    bytes += size + 1;
  }
  flush();
  return records;
}

/** The entries of a record; a record that is not a JSON array of entries yields none (and is counted by the caller). */
export function decodeRecord(data: Uint8Array): LogRecord[] | undefined {
  try {
    const parsed: unknown = JSON.parse(decoder.decode(data));
    return Array.isArray(parsed) ? (parsed as LogRecord[]) : undefined;
  } catch {
    return undefined;
  }
}
