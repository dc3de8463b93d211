/** Terminal output of the dev commands: colour only on a TTY (and never with NO_COLOR), plain in CI logs. */
const useColor = Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'];

const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
export const bold = paint(1);
export const dim = paint(2);
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);

/** Lines written by the start command itself are prefixed so they stand out among the apps' output. */
export function say(message: string): void {
  process.stdout.write(`${cyan('[start]')} ${message}\n`);
}

export function warn(message: string): void {
  process.stdout.write(`${yellow('[start]')} ${message}\n`);
}

export function fail(message: string): void {
  process.stderr.write(`${red('[start]')} ${message}\n`);
}

/** Left-aligned columns; ANSI colour codes do not count towards the width. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))));
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : pad(cell, widths[i] ?? 0))).join('  ')).join('\n');
}

/** A framed block, for the one summary a developer must not miss. */
export function box(lines: readonly string[]): string {
  const width = Math.max(...lines.map(visibleLength));
  const edge = '─'.repeat(width + 2);
  return [`┌${edge}┐`, ...lines.map((line) => `│ ${pad(line, width)} │`), `└${edge}┘`].join('\n');
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
