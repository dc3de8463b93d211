/** A matcher for `/api/logs/:containerId/tail`: `:name` matches one non-empty segment and captures it. */
export type PathMatcher = (pathname: string) => Record<string, string> | undefined;

export function compilePath(pattern: string): PathMatcher {
  if (!pattern.startsWith('/')) throw new Error(`live endpoint path must start with "/": ${pattern}`);
  const expected = pattern.split('/');
  return (pathname) => {
    const actual = pathname.split('/');
    if (actual.length !== expected.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < expected.length; i += 1) {
      const want = expected[i] as string;
      const got = actual[i] as string;
      if (want.startsWith(':')) {
        if (got.length === 0) return undefined;
        try {
          params[want.slice(1)] = decodeURIComponent(got);
        } catch {
          return undefined;
        }
      } else if (want !== got) return undefined;
    }
    return params;
  };
}
