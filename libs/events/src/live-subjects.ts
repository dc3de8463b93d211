import { EventValidationError } from '@edd/event-contracts';

/** Prefix of core NATS subjects for live fan-out; never captured by a stream, so nothing is stored. */
export const LIVE_SUBJECT_PREFIX = 'live.';

const TOKEN = /^(?:[A-Za-z0-9_-]+|\*|>)$/u;

/** Throws unless `subject` is `live.<token>...` with valid tokens (`*`, and `>` only last). */
export function checkLiveSubject(subject: string): void {
  const tokens = subject.split('.');
  const valid =
    subject.startsWith(LIVE_SUBJECT_PREFIX) &&
    tokens.length >= 2 &&
    tokens.every((token, i) => TOKEN.test(token) && (token !== '>' || i === tokens.length - 1));
  if (!valid) throw new EventValidationError(`live subject "${subject}": must be live.<token>[.<token>...]`);
}
