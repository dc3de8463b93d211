const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = MONTHS.join('|');
const DAY = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
const LONG_DAY = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';

// RFC 9110 §5.6.7: senders use IMF-fixdate; recipients also accept the obsolete RFC 850 and asctime forms.
const IMF_FIXDATE = new RegExp(`^(?:${DAY}), (\\d{2}) (${MONTH}) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`);
const RFC850_DATE = new RegExp(`^(?:${LONG_DAY}), (\\d{2})-(${MONTH})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`);
const ASCTIME_DATE = new RegExp(`^(?:${DAY}) (${MONTH}) ([ \\d]\\d) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})$`);

/**
 * An HTTP-date in milliseconds since the epoch, or undefined when the value is not one. Strict on purpose:
 * `Date.parse` accepts "2020", "1" and local-time asctime, and a conditional header with a date we misread is worse
 * than one we ignore.
 */
export function parseHttpDate(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  let match = IMF_FIXDATE.exec(value);
  if (match) return utc(Number(match[3]), match[2], match[1], match[4], match[5], match[6]);
  match = RFC850_DATE.exec(value);
  if (match) return utc(fullYear(Number(match[3]), now), match[2], match[1], match[4], match[5], match[6]);
  match = ASCTIME_DATE.exec(value);
  if (match) return utc(Number(match[6]), match[1], match[2], match[3], match[4], match[5]);
  return undefined;
}

/** IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT` (what `Last-Modified` carries). */
export function formatHttpDate(milliseconds: number): string {
  return new Date(milliseconds).toUTCString();
}

/** HTTP dates have a resolution of one second; validators are compared at that resolution. */
export function toHttpSeconds(milliseconds: number): number {
  return Math.floor(milliseconds / 1000);
}

// RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is the most recent past year with those digits.
function fullYear(twoDigits: number, now: number): number {
  const currentYear = new Date(now).getUTCFullYear();
  const year = currentYear - (currentYear % 100) + twoDigits;
  return year > currentYear + 50 ? year - 100 : year;
}

function utc(year: number, month = '', day = '', hours = '', minutes = '', seconds = ''): number | undefined {
  const monthIndex = MONTHS.indexOf(month);
  const [d, h, m, s] = [Number(day.trim()), Number(hours), Number(minutes), Number(seconds)];
  // 60 is a leap second (RFC 5322 §3.3); Date folds it into the next minute.
  if (d < 1 || d > 31 || h > 23 || m > 59 || s > 60) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, d);
  // Refuse days that do not exist (31 Feb) instead of letting Date roll them into March.
  if (date.getUTCMonth() !== monthIndex) return undefined;
  return date.setUTCHours(h, m, s, 0);
}
