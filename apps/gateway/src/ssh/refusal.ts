/** Why a login was refused: the metric label (bounded) and the log's `reason`. The client only ever sees a generic failure. */
export type RefusalReason =
  | 'method_not_allowed'
  | 'malformed_login'
  | 'bad_signature'
  | 'unknown_container'
  | 'container_not_running'
  | 'ssh_disabled'
  | 'unknown_login'
  | 'key_not_trusted'
  | 'denied'
  | 'compute_unavailable'
  | 'upstream_host_key_mismatch'
  | 'upstream_unreachable'
  | 'upstream_auth_failed'
  | 'invalid_grant'
  | 'draining'
  | 'auth_timeout'
  | 'too_many_unauthenticated';

/** Compute answers refusals in words (its contract has no code): map the known ones to labels. */
export function classifyComputeRefusal(reason: string): RefusalReason {
  if (reason.startsWith('compute ')) return 'compute_unavailable';
  if (/no such container/i.test(reason)) return 'unknown_container';
  if (/not running|no keys yet/i.test(reason)) return 'container_not_running';
  if (/SSH is disabled/i.test(reason)) return 'ssh_disabled';
  if (/unknown login/i.test(reason)) return 'unknown_login';
  if (/not trusted/i.test(reason)) return 'key_not_trusted';
  return 'denied';
}
