import type { ScopeGrants } from '@edd/scopes';

export type PrincipalKind = 'session' | 'api_token' | 'service_account';

/** Who is calling, as established by `authenticate`. */
export interface Principal {
  userId: string;
  username: string;
  /** Only ever true for sessions: API tokens and service accounts never act as admin. */
  isAdmin: boolean;
  kind: PrincipalKind;
  /** Session id (`sid` claim), for `kind: 'session'`. */
  sessionId?: string;
  /** API token id, for `kind: 'api_token' | 'service_account'`. */
  tokenId?: string;
  serviceAccountId?: string;
  /** Exactly what an API token / service account may do; sessions have none (full access to their own resources). */
  scopes?: ScopeGrants;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's own augmentation point
  namespace Express {
    interface Request {
      /** Set by `authenticate` when a valid credential was presented. */
      principal?: Principal;
    }
  }
}
