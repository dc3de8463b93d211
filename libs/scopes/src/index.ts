export {
  SCOPE_ACTIONS,
  SCOPE_FORMAT,
  SCOPE_ROOTS,
  scopeCatalog,
  actionsFor,
  actionForMethod,
  isScopeAction,
  isScopeRoot,
  isScopeResource,
  resourcesOf,
} from './catalog';
export type { ScopeAction, ScopeGrants, ScopeCatalog, ScopeRoot, ScopeResource } from './catalog';
export { parseScope, formatScope, isValidScopeId, MAX_SCOPE_LENGTH } from './parse-scope';
export type { ParsedScope, ScopeError } from './parse-scope';
export { validateScopeGrants, DEFAULT_MAX_SCOPE_ENTRIES } from './validate-grants';
export type { ValidateScopeGrantsOptions, ValidateScopeGrantsResult } from './validate-grants';
export { hasScope, covers } from './has-scope';
