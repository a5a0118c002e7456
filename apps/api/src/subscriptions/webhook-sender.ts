import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { WebhookTargets } from './webhook-target';

/** What one attempt came to: the receiver's status (null: no answer), why it failed, the first kilobyte of its answer. */
export interface Sent {
  readonly status: number | null;
  readonly error: string | null;
  /** The target was refused (its address is not allowed): not worth retrying. */
  readonly refused: boolean;
  readonly body: string | null;
  readonly durationMs: number;
}

/** Of a receiver's answer, only this much is kept (an error page can be large; nobody needs more to see why). */
const BODY_KEPT = 1024;

class TargetRefused extends Error {}

/**
 * Sends webhooks: one POST each, no redirects followed, a deadline on the
 * whole exchange, and every address the host resolves to judged at connect
 * time (not only when the subscription was made: a name may point elsewhere
 * later), so no webhook reaches the operator's own network unless allowed.
 */
export class WebhookSender {
  private readonly checkedLookup: LookupFunction;
  private readonly agents: { http: HttpAgent; https: HttpsAgent };

  constructor(
    private readonly targets: WebhookTargets,
    private readonly timeoutMs: number,
  ) {
    this.checkedLookup = ((hostname: string, options: LookupOptions, callback: (...args: unknown[]) => void) => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
        if (err) return callback(err);
        const problem = addresses.map((a) => this.targets.addressProblem(a.address)).find((p) => p !== null);
        if (problem) return callback(new TargetRefused(`${hostname}: ${problem}`));
        if (options.all) return callback(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      });
    }) as LookupFunction;
    this.agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 8, lookup: this.checkedLookup }), https: new HttpsAgent({ keepAlive: true, maxSockets: 8, lookup: this.checkedLookup }) };
  }

  send(url: string, headers: Readonly<Record<string, string>>, body: string): Promise<Sent> {
    const started = performance.now();
    const took = () => Math.round(performance.now() - started);
    const problem = this.targets.urlProblem(url);
    if (problem) return Promise.resolve({ status: null, error: problem, refused: true, body: null, durationMs: 0 });
    const target = new URL(url);
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Sent>((resolve) => {
      let done = false;
      const finish = (sent: Omit<Sent, 'durationMs'>) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ ...sent, durationMs: took() });
      };
      const req = request(
        target,
        {
          method: 'POST',
          agent: target.protocol === 'https:' ? this.agents.https : this.agents.http,
          lookup: this.checkedLookup,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Coldtrace-Webhooks/1' },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          const settle = () =>
            finish({ status: res.statusCode ?? null, error: null, refused: false, body: Buffer.concat(chunks).toString('utf8').slice(0, BODY_KEPT) });
          res.on('data', (chunk: Buffer) => {
            if (kept < BODY_KEPT) chunks.push(chunk.subarray(0, BODY_KEPT - kept));
            kept += chunk.length;
            // Enough seen: the rest of a large answer is not read (nor kept).
            if (kept >= BODY_KEPT) {
              settle();
              res.destroy();
            }
          });
          res.on('end', settle);
          res.on('error', settle);
        },
      );
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      req.on('error', (e) => finish({ status: null, error: e.message, refused: e instanceof TargetRefused, body: null }));
      req.end(body);
    });
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
