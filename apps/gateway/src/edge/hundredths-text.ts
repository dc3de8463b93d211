/**
 * A number with at most two decimals (the access log's durationMs) as JavaScript prints it, without V8's
 * double-to-string conversion: the whole part is a small integer (V8 keeps those strings cached) and the decimals
 * come from a table. String(0.12) runs FastDtoa and makes a heap-number string (~340 instructions in callgrind's
 * profile of the gateway); this costs one string addition (~80).
 */
const DECIMALS = Array.from({ length: 100 }, (_, i) => (i === 0 ? '' : String(i / 100).slice(1)));

export function hundredthsText(value: number): string {
  const hundredths = Math.round(value * 100);
  // Anything else (more decimals, negative, huge, NaN) is printed as JavaScript does.
  if (!(hundredths >= 0 && hundredths < 1e11) || hundredths / 100 !== value) return String(value);
  const whole = Math.floor(hundredths / 100);
  return `${whole}${DECIMALS[hundredths - whole * 100] as string}`;
}
