import { HttpError } from '@edd/http';

/** `weak_password` naming the field, so a form can show the rule next to it: `new_password: password must be ...`. */
export function weakPassword(field: string, problem: string): HttpError {
  return new HttpError('weak_password', `${field}: ${problem}`, { details: [{ path: field, message: problem }] });
}
