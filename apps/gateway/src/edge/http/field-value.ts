/**
 * Field values (RFC 9110 §5.5, §5.6.3): the only optional whitespace around a value is SP and HTAB. Shared by the
 * head parsers, which work on the head as one latin1 string.
 */
import { sameName } from './field-name';

/** First index in [from, to) that is not SP/HTAB (to when none). */
export function skipOws(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

/** End of text[from, to) without trailing SP/HTAB. */
export function trimOwsEnd(text: string, from: number, to: number): number {
  let i = to;
  while (i > from && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) i--;
  return i;
}

/** Is text[from, to), without SP/HTAB around it, `lower` in any letter case? */
export function owsValueIs(text: string, from: number, to: number, lower: string): boolean {
  const a = skipOws(text, from, to);
  return trimOwsEnd(text, a, to) - a === lower.length && sameName(text, a, lower);
}

/** The value of 1 to 15 digits between SP/HTAB in text[from, to), or -1. */
export function owsDigits(text: string, from: number, to: number): number {
  const a = skipOws(text, from, to);
  const b = trimOwsEnd(text, a, to);
  if (b === a || b - a > 15) return -1;
  let n = 0;
  for (let i = a; i < b; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** text[from, to) without leading and trailing SP/HTAB. */
export function withoutOws(text: string, from: number, to: number): string {
  const a = skipOws(text, from, to);
  return text.slice(a, trimOwsEnd(text, a, to));
}
