import { z } from 'zod';

/** Raised with every bad or missing variable at once, so a misconfigured deploy is fixed in one pass. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Shape = Record<string, z.ZodType>;

/** Parses `source` (process.env by default) against a zod shape keyed by variable name. */
export function loadConfig<S extends Shape>(shape: S, source: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const raw = source[key];
    input[key] = raw === '' ? undefined : raw;
  }
  const result = z.object(shape).safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
}

/** Field parsers for environment strings. */
export const env = {
  string: () => z.string().min(1),
  port: () => z.coerce.number().int().min(0).max(65535),
  int: (min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max),
  url: () => z.url(),
  bool: () =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  /** Comma-separated list, blanks dropped. */
  list: () =>
    z.string().transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  oneOf: <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values),
};
