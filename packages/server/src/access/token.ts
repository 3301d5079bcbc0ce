import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new token: 192 random bits, URL- and cookie-safe (base64url). */
export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Whether `given` is `token`, in time that does not depend on where they differ (both are
 * hashed first, so their lengths do not show either).
 */
export function tokenMatches(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

/** A short, stable, public name derived from the token (it reveals nothing usable about it). */
export function tokenTag(token: string): string {
  return digest(token).toString('hex').slice(0, 12);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
