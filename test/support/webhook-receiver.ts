import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  readonly id: string;
  readonly timestamp: string;
  readonly signature: string;
  readonly raw: string;
  /** A webhook's `{type, timestamp, data}` (an EPCIS subscription's is an EPCISQueryDocument instead). */
  readonly body: { type: string; timestamp: string; data: Record<string, unknown> };
  readonly at: number;
}

/** How the receiver answers: 200, another status, or not at all (down: the port refuses connections). */
export type Mode = 'ok' | 'down' | number;

/**
 * A partner's webhook endpoint on loopback: records every request it
 * answers, answering as `mode` says; can go down (its port closed) and
 * come back up on the same port.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  mode: Mode = 'ok';
  /** Answers this long after reading a request (what it read is recorded at once). */
  delayMs = 0;
  /** Requests read, answered or not. */
  started = 0;
  /** Requests answered. */
  answered = 0;
  private server: Server | null = null;
  private port = 0;

  static async start(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    await r.up();
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async up(): Promise<void> {
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        this.started++;
        const raw = Buffer.concat(chunks).toString('utf8');
        const status = this.mode === 'ok' ? 200 : typeof this.mode === 'number' ? this.mode : 200;
        if (status >= 200 && status < 300) {
          this.received.push({
            id: String(req.headers['webhook-id']),
            timestamp: String(req.headers['webhook-timestamp']),
            signature: String(req.headers['webhook-signature']),
            raw,
            body: JSON.parse(raw),
            at: performance.now(),
          });
        }
        if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'not now');
        this.answered++;
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Each distinct webhook-id once (a receiver dedupes on it), in arrival order. */
  distinct(): Received[] {
    const seen = new Set<string>();
    return this.received.filter((r) => !seen.has(r.id) && (seen.add(r.id), true));
  }
}

/**
 * Verifies a delivery as a receiver would (Standard Webhooks): HMAC-SHA256 of
 * `id.timestamp.body` under the secret's bytes (a `whsec_` secret's base64;
 * an EPCIS signatureToken's UTF-8).
 */
export const verifySignature = (secret: string, r: Pick<Received, 'id' | 'timestamp' | 'signature' | 'raw'>): boolean => {
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
  const expected = createHmac('sha256', key).update(`${r.id}.${r.timestamp}.${r.raw}`).digest();
  return r.signature.split(' ').some((s) => {
    const [version, sig] = s.split(',');
    const given = Buffer.from(sig ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
};
