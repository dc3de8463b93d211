/**
 * Field values (RFC 9110 §5.5, §5.6.3): the only optional whitespace around a value is SP and HTAB. The head
 * parsers' fast paths read the head's bytes (cheaper than charCodeAt) and slice the latin1 string of the same bytes.
 */
import { hasWordsAt, packedToken, type PackedToken } from './field-name';

/** First index in [from, to) that is not SP/HTAB (to when none). */
export function skipOws(bytes: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to && (bytes[i] === 32 || bytes[i] === 9)) i++;
  return i;
}

/** End of bytes[from, to) without trailing SP/HTAB. */
export function trimOwsEnd(bytes: Uint8Array, from: number, to: number): number {
  let i = to;
  while (i > from && (bytes[i - 1] === 32 || bytes[i - 1] === 9)) i--;
  return i;
}

/** Is bytes[from, to), without SP/HTAB around it and with no CR in it, `value` in any letter case? */
export function owsValueIs(bytes: Uint8Array, from: number, to: number, value: PackedToken): boolean {
  const a = skipOws(bytes, from, to);
  return trimOwsEnd(bytes, a, to) - a === value.length && hasWordsAt(bytes, a, value);
}

/** The value of 1 to 15 digits between SP/HTAB in bytes[from, to), or -1. */
export function owsDigits(bytes: Uint8Array, from: number, to: number): number {
  const a = skipOws(bytes, from, to);
  const b = trimOwsEnd(bytes, a, to);
  if (b === a || b - a > 15) return -1;
  let n = 0;
  for (let i = a; i < b; i++) {
    const d = (bytes[i] as number) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** text[from, to) without leading and trailing SP/HTAB, where `text` is the latin1 string of `bytes`. */
export function owsTrimmed(bytes: Uint8Array, text: string, from: number, to: number): string {
  const a = skipOws(bytes, from, to);
  return text.slice(a, trimOwsEnd(bytes, a, to));
}

/** text[from, to) without leading and trailing SP/HTAB: the only optional whitespace (RFC 9110 §5.6.3). */
export function withoutOws(text: string, from: number, to: number): string {
  let a = from;
  let b = to;
  while (a < b && (text.charCodeAt(a) === 32 || text.charCodeAt(a) === 9)) a++;
  while (b > a && (text.charCodeAt(b - 1) === 32 || text.charCodeAt(b - 1) === 9)) b--;
  return text.slice(a, b);
}

/**
 * Does bytes[from, to), with no CR in it, contain one of `words` in any letter case (a regular expression of the
 * words with the i flag, on latin1 text)? Only positions whose byte folds onto some word's first letter are
 * compared: a value is read once, without a string slice or a regular expression.
 */
export function containsWord(bytes: Uint8Array, from: number, to: number, words: WordSet): boolean {
  const firsts = words.firsts;
  for (let i = from; i < to; i++) {
    if (firsts[(bytes[i] as number) | 0x20] !== 1) continue;
    for (const word of words.words) if (i + word.length <= to && hasWordsAt(bytes, i, word)) return true;
  }
  return false;
}

/** Words for containsWord: lower-case tokens of letters and '-', at least four bytes each. */
export interface WordSet {
  readonly words: readonly PackedToken[];
  /** 1 at each word's first letter. */
  readonly firsts: Uint8Array;
}

export function wordSet(...lower: string[]): WordSet {
  const firsts = new Uint8Array(256);
  for (const word of lower) firsts[word.charCodeAt(0)] = 1;
  return { words: lower.map((word) => packedToken(word)), firsts };
}
