import { createHmac, randomBytes } from 'node:crypto';

/** Standard Webhooks' secret form: `whsec_` and the key's bytes in base64. */
const SECRET_PREFIX = 'whsec_';

/** A new subscription's secret: 24 random bytes, shown to its maker once. */
export const newWebhookSecret = (): string => `${SECRET_PREFIX}${randomBytes(24).toString('base64')}`;

/** The HMAC key a secret stands for: a `whsec_` secret's decoded bytes; any other (an EPCIS signatureToken) as UTF-8. */
const keyOf = (secret: string): Buffer => (secret.startsWith(SECRET_PREFIX) ? Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8'));

/**
 * `webhook-signature` as Standard Webhooks defines it: `v1,` and the base64
 * HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>` under the secret.
 */
export const webhookSignature = (secret: string, id: string, timestamp: number, body: string): string =>
  `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;

/** The three headers of a delivery: its id (stable across retries), the time it was signed (unix seconds) and the signature. */
export const webhookHeaders = (secret: string, id: string, body: string, now: Date): Record<string, string> => {
  const timestamp = Math.floor(now.getTime() / 1000);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': webhookSignature(secret, id, timestamp, body) };
};
