import { HttpError } from '@edd/http';
import type { AccessDecision } from './access';

/** Throws the answer a refused decision deserves; a namespace hidden from the caller reads as one that does not exist. */
export function assertAllowed(decision: AccessDecision, action: string): void {
  if (decision.ok) return;
  switch (decision.reason) {
    case 'unauthenticated':
      throw new HttpError('unauthenticated');
    case 'not_found':
      throw new HttpError('not_found', 'namespace not found');
    case 'forbidden':
      throw new HttpError('forbidden', 'only the namespace’s owner may change it');
    case 'scope_missing':
      throw new HttpError('scope_missing', `this API token lacks "${action}" on ${decision.scope}`);
  }
}

/** `assertAllowed`, then the namespace the decision was about (an allowed decision always had one). */
export function allowedNamespace<T>(decision: AccessDecision, ns: T | undefined, action: string): T {
  assertAllowed(decision, action);
  if (ns === undefined) throw new HttpError('not_found', 'namespace not found');
  return ns;
}
