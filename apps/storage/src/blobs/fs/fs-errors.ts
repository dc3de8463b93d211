/** The error codes meaning "there is no object at this path" (a missing file or folder, or a file where a folder was expected). */
export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
