const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export type EnvSource = Readonly<Record<string, string | undefined>>;

/**
 * Shell-style `${NAME}` / `${NAME:-default}` expansion (default used when NAME is unset or empty).
 * Returns the missing variable names instead of silently producing a half-built value.
 */
export function substituteEnv(text: string, env: EnvSource): { value: string; missing: string[] } {
  const missing: string[] = [];
  const value = text.replace(REFERENCE, (_whole, name: string, fallback: string | undefined) => {
    const current = env[name];
    if (current !== undefined && current !== '') return current;
    if (fallback !== undefined) return fallback;
    missing.push(name);
    return '';
  });
  return { value, missing };
}
