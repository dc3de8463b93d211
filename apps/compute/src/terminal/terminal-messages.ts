import { z } from 'zod';
import type { TerminalSize } from './open-shell';

/** Text frames from the browser are control messages; keystrokes travel as binary frames. */
const resizeMessage = z.strictObject({
  type: z.literal('resize'),
  cols: z.number().int().min(1).max(1000),
  rows: z.number().int().min(1).max(1000),
});

export type ControlMessage = { type: 'resize'; size: TerminalSize };

/** Parses one text frame; the error says what was wrong, for the client to show. */
export function parseControlMessage(text: string): ControlMessage | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'text frames must be JSON control messages; send keystrokes as binary frames' };
  }
  const parsed = resizeMessage.safeParse(value);
  if (!parsed.success) return { error: 'unknown control message: expected {"type":"resize","cols":1..1000,"rows":1..1000}' };
  return { type: 'resize', size: { cols: parsed.data.cols, rows: parsed.data.rows } };
}

/** Initial size from the query string (`?cols=&rows=`), else the classic 80×24. */
export function initialSize(query: URLSearchParams): TerminalSize {
  const read = (name: string, fallback: number) => {
    const value = Number(query.get(name));
    return Number.isInteger(value) && value >= 1 && value <= 1000 ? value : fallback;
  };
  return { cols: read('cols', 80), rows: read('rows', 24) };
}
