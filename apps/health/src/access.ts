import { canAccess, type Principal } from '@edd/auth-client';
import { formatScope } from '@edd/scopes';

/**
 * Who sees what, as plain predicates. Cluster-wide figures (nodes, every pod, every alert) are an admin session's;
 * anyone else sees their own containers, and an API token needs `compute.<uid>.containers` read for that.
 */
export const seesCluster = (p: Principal | undefined): boolean => p?.kind === 'session' && p.isAdmin;

export const seesOwnContainers = (p: Principal | undefined): boolean =>
  p !== undefined && canAccess(p, formatScope('compute', p.userId, 'containers'), 'read');

/** The owner filter for pods and alerts: undefined for an admin (everything), the caller's id otherwise. */
export const ownerFilter = (p: Principal): string | undefined => (seesCluster(p) ? undefined : p.userId);
