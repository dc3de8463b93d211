import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { LogRecord } from '../entries/log-entry';

/** `2026-12-02 08:15:03  WARN   storage  message` (UTC), the original's .log line, with milliseconds. */
export function logLine(entry: LogRecord): string {
  const time = new Date(entry.timeMs).toISOString().replace('T', ' ').slice(0, 23);
  return `${time}  ${entry.level.padEnd(5)}  ${entry.source}  ${entry.message.replace(/\r?\n/g, '\\n')}\n`;
}

export const jsonLine = (entry: LogRecord): string =>
  `${JSON.stringify({ timestamp: new Date(entry.timeMs).toISOString(), source: entry.source, level: entry.level, message: entry.message, attributes: entry.attributes })}\n`;

/**
 * A zip of `<name>.log` and `<name>.jsonl`, each produced by its own pass over `pages()` as yazl asks for it:
 * nothing is held beyond one page and yazl's buffers, and the client's reading speed paces the database reads.
 */
export function dayZip(name: string, pages: () => AsyncIterable<LogRecord[]>): Readable {
  const zip = new ZipFile();
  const fileOf = (format: (entry: LogRecord) => string) =>
    Readable.from(
      (async function* () {
        for await (const page of pages()) yield page.map(format).join('');
      })(),
    );
  zip.addReadStream(fileOf(logLine), `${name}.log`);
  zip.addReadStream(fileOf(jsonLine), `${name}.jsonl`);
  zip.end();
  return zip.outputStream as Readable;
}
