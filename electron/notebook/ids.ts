import { randomBytes } from 'node:crypto';

/** 12 URL-safe characters (72 random bits): short enough for deep links and file names, collision-free in practice. */
export function newId(): string {
  return randomBytes(9).toString('base64url');
}
