// The Logs tab's lines: a bounded tail of what the container printed, and when to keep following it.

/** How many lines the Logs tab keeps; older ones drop off the top. */
export const MAX_LOG_LINES = 2000;

/** `lines` with `added` appended, trimmed to the last `max` (a new array: React state). */
export function appendLogLines(lines: readonly string[], added: readonly string[], max = MAX_LOG_LINES): string[] {
  if (max <= 0) return [];
  if (added.length >= max) return added.slice(added.length - max);
  const keep = Math.max(0, lines.length + added.length - max);
  return [...lines.slice(keep), ...added];
}

/** Within `slack` pixels of the bottom: new lines keep the view at the end. Scrolled further up: the user is reading. */
export function isAtBottom(box: { scrollTop: number; scrollHeight: number; clientHeight: number }, slack = 24): boolean {
  return box.scrollHeight - box.scrollTop - box.clientHeight <= slack;
}
