/** Enough of a secret to tell two apart in a log, never enough to use: the first 4 characters. */
export function mask(secret: string): string {
  return secret.length <= 8 ? '****' : `${secret.slice(0, 4)}…`;
}
