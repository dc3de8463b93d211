// Every cache key in one place, so a mutation invalidates exactly what it changed.
export const queryKeys = {
  session: ['auth', 'session'] as const,
  sessions: ['auth', 'sessions'] as const,
  tokens: ['auth', 'tokens'] as const,
  scopeCatalog: ['auth', 'scopes'] as const,
  serviceAccounts: ['auth', 'service-accounts'] as const,
  serviceAccountTokens: (id: string) => ['auth', 'service-accounts', id, 'tokens'] as const,
  adminUsers: ['auth', 'admin', 'users'] as const,
  adminSessions: ['auth', 'admin', 'sessions'] as const,
  namespaces: ['storage', 'namespaces'] as const,
  /** Every listing of one namespace (all folders) is below this prefix. */
  namespaceFiles: (namespace: string) => ['storage', 'files', namespace] as const,
  files: (namespace: string, prefix: string) => ['storage', 'files', namespace, prefix] as const,
  shares: ['storage', 'shares'] as const,
  containers: ['compute', 'containers'] as const,
  container: (id: string) => ['compute', 'container', id] as const,
  ingressRules: (id: string) => ['compute', 'container', id, 'ingress'] as const,
  sshKeys: ['compute', 'ssh-keys'] as const,
  computeRuntime: ['compute', 'runtime'] as const,
  /** Every notification query (list, latest, unread count) is below this prefix. */
  notifications: ['notifications'] as const,
  notificationList: ['notifications', 'list'] as const,
  unreadCount: ['notifications', 'unread-count'] as const,
  mutes: ['notification-mutes'] as const,
};
