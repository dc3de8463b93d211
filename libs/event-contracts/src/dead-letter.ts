import { subjectToken } from './subjects';

/*
 * A durable consumer that gives up on a message (handler failed on the last delivery, or the message can
 * never be read) republishes the original body unchanged to `deadletter.<durable>.<original subject>`
 * in the DEADLETTER stream, with these headers, and only then terminates it. The body being untouched
 * means a dead letter can be inspected and replayed to its original subject as is.
 */
export const deadLetterHeaders = {
  reason: 'Edd-Dead-Letter-Reason',
  deliveries: 'Edd-Dead-Letter-Deliveries',
  durable: 'Edd-Dead-Letter-Durable',
  stream: 'Edd-Original-Stream',
  subject: 'Edd-Original-Subject',
  seq: 'Edd-Original-Seq',
} as const;

export const DEAD_LETTER_PREFIX = 'deadletter';

/** `deadletter.<durable>.<original subject>`; the durable name is checked as one subject token. */
export function deadLetterSubject(durable: string, originalSubject: string): string {
  return `${DEAD_LETTER_PREFIX}.${subjectToken(durable, 'durable')}.${originalSubject}`;
}
