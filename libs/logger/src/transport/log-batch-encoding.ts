// logging.LogBatch (apps/logs/proto/logging.proto) encoded by hand: the transport sends only this one message,
// and a protobuf runtime (with the .proto file shipped beside every service) would be more than the wire format.
//   LogBatch { repeated LogEntry entries = 1; }
//   LogEntry { string source = 1; LogLevel level = 2; string message = 3; int64 timestamp = 4;
//              map<string,string> attributes = 5; int64 timestamp_ms = 6; }
// apps/logs' tests decode this with proto-loader and the real .proto, so the two cannot drift apart.

export interface WireLogEntry {
  source: string;
  /** DEBUG=0, INFO=1, WARN=2, ERROR=3. */
  level: number;
  message: string;
  timestampMs: number;
  attributes: Record<string, string>;
}

class Writer {
  private chunks: Buffer[] = [];
  private size = 0;

  varint(value: number): this {
    const bytes: number[] = [];
    let rest = Math.max(0, Math.floor(value));
    while (rest >= 0x80) {
      bytes.push((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    bytes.push(rest);
    return this.raw(Buffer.from(bytes));
  }

  bytes(field: number, value: Buffer): this {
    return this.varint((field << 3) | 2)
      .varint(value.length)
      .raw(value);
  }

  string(field: number, value: string): this {
    return value ? this.bytes(field, Buffer.from(value, 'utf8')) : this;
  }

  uint(field: number, value: number): this {
    return value > 0 ? this.varint(field << 3).varint(value) : this;
  }

  raw(buffer: Buffer): this {
    this.chunks.push(buffer);
    this.size += buffer.length;
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

export function encodeLogEntry(entry: WireLogEntry): Buffer {
  const writer = new Writer()
    .string(1, entry.source)
    .uint(2, entry.level)
    .string(3, entry.message)
    .uint(4, Math.floor(entry.timestampMs / 1000));
  for (const [key, value] of Object.entries(entry.attributes)) writer.bytes(5, new Writer().string(1, key).string(2, value).finish());
  return writer.uint(6, entry.timestampMs).finish();
}

export function encodeLogBatch(entries: readonly WireLogEntry[]): Buffer {
  const writer = new Writer();
  for (const entry of entries) writer.bytes(1, encodeLogEntry(entry));
  return writer.finish();
}
