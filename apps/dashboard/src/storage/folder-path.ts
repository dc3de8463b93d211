// Folders are key prefixes ending in "/" (`photos/2024/`); the root is the empty prefix.

export interface Crumb {
  /** What the breadcrumb shows. */
  label: string;
  /** The prefix it leads to. */
  prefix: string;
}

/** `photos/2024/` in namespace `me` -> `me` (''), `photos` ('photos/'), `2024` ('photos/2024/'). */
export function breadcrumbs(namespace: string, prefix: string): Crumb[] {
  const crumbs: Crumb[] = [{ label: namespace, prefix: '' }];
  let walked = '';
  for (const segment of normalisePrefix(prefix).split('/')) {
    if (!segment) continue;
    walked += `${segment}/`;
    crumbs.push({ label: segment, prefix: walked });
  }
  return crumbs;
}

/**
 * A prefix as the URL may carry it, made safe to list with: no leading `/`, no empty segments, and a trailing `/`
 * unless it is the root.
 */
export function normalisePrefix(prefix: string | null | undefined): string {
  const segments = (prefix ?? '').split('/').filter((segment) => segment !== '');
  return segments.length === 0 ? '' : `${segments.join('/')}/`;
}

/** The last name of a sub-folder prefix: `photos/2024/` -> `2024`. */
export function folderName(folderPrefix: string): string {
  const segments = folderPrefix.split('/').filter((segment) => segment !== '');
  return segments[segments.length - 1] ?? folderPrefix;
}

/** Where a file dropped into folder `prefix` lands: `photos/` + `a.jpg`. */
export function pathInFolder(prefix: string, fileName: string): string {
  return `${normalisePrefix(prefix)}${fileName}`;
}

/** The folder that holds `prefix` (`a/b/` -> `a/`, `a/` -> the root). */
export function parentPrefix(prefix: string): string {
  const segments = normalisePrefix(prefix)
    .split('/')
    .filter((segment) => segment !== '');
  segments.pop();
  return segments.length === 0 ? '' : `${segments.join('/')}/`;
}

/**
 * A sub-folder from a listing as a prefix to navigate to. The service sends full prefixes (`photos/2024/`); a bare
 * name (`2024`) is read relative to the folder listed, so either form works.
 */
export function subfolderPrefix(prefix: string, folder: string): string {
  const parent = normalisePrefix(prefix);
  const full = normalisePrefix(folder);
  return parent && full.startsWith(parent) ? full : normalisePrefix(`${parent}${full}`);
}

/** Why `name` cannot be a folder name (the server's path rules, checked before navigating), or null. */
export function folderNameProblem(name: string): string | null {
  if (name.trim() === '') return 'Enter a folder name.';
  if (name.includes('/') || name.includes('\\')) return 'A folder name cannot contain “/” or “\\”.';
  if (name === '.' || name === '..') return 'A folder cannot be named “.” or “..”.';
  if (/\p{Cc}/u.test(name)) return 'A folder name cannot contain control characters.';
  if (new TextEncoder().encode(name).length > 255) return 'A folder name can be at most 255 bytes long.';
  return null;
}
