import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: session cookies and wall-screen display tokens. */
export const newToken = () => randomBytes(32).toString('base64url');

/** Only this digest is stored, so a copy of the database opens no session and no board. */
export const tokenDigest = (token: string) => createHash('sha256').update(token).digest('hex');
