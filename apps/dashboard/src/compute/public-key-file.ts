// Helpers for pasting or loading an OpenSSH public key (`<type> <base64> [comment]`); the server parses and checks it.

/** Larger than any RSA-16384 public key line; the API refuses more anyway. */
export const MAX_PUBLIC_KEY_BYTES = 8192;

/** A name to suggest: the key's comment (`user@laptop`), else the file's name without `.pub`. */
export function suggestedKeyName(publicKey: string, fileName?: string): string {
  const comment = publicKey.trim().split(/\s+/).slice(2).join(' ');
  if (comment) return comment.slice(0, 100);
  return (fileName ?? '').replace(/\.pub$/i, '').slice(0, 100);
}

/** The first non-empty line of a `.pub` file (the API takes one key). */
export function firstKeyLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .find((line) => line && !line.startsWith('#')) ?? ''
  );
}

/** What is wrong with a picked file before it is read, as a sentence. */
export function publicKeyFileProblem(file: { name: string; size: number }): string | undefined {
  if (file.size > MAX_PUBLIC_KEY_BYTES) return `${file.name} is too large for a public key (${file.size.toLocaleString()} bytes).`;
  if (file.size === 0) return `${file.name} is empty.`;
  return undefined;
}
