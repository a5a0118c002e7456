import { createHash, createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { HASH_HEX } from './event-hash';

/**
 * Who vouches for an event: an Ed25519 signature over the 32 raw bytes of its
 * chain hash (integrity/event-hash.ts), by a key kept outside the database.
 * The hash covers the stream, version, content and every event before it in
 * the stream, so the signature does too; whoever holds only database
 * credentials can write rows but cannot sign them.
 */
export interface EventSignature {
  /** Names the key that signed (signingKeyId of its public key). */
  readonly signingKeyId: string;
  /** Ed25519 signature, 64 bytes as lowercase hex. */
  readonly signature: string;
}

/** Why an event's signature does not hold. */
export type SignatureFailure = 'UNSIGNED' | 'UNKNOWN_SIGNING_KEY' | 'BAD_SIGNATURE';

export const SIGNATURE_HEX = /^[0-9a-f]{128}$/;
export const SIGNING_KEY_ID = /^[0-9a-f]{16}$/;

/** The 32 raw bytes of an Ed25519 public key (RFC 8032 encoding). */
export const rawPublicKey = (key: KeyObject): Buffer => {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
};

/** A key's id: the first 16 hex digits of SHA-256 over its raw public key, so anyone holding the key can recompute it. */
export const signingKeyIdOf = (publicKey: KeyObject): string => createHash('sha256').update(rawPublicKey(publicKey)).digest('hex').slice(0, 16);

/**
 * What a log digest's signature covers (GET /api/audit/digest), as UTF-8. Never
 * 32 bytes long, so no digest signature can pass for an event's.
 */
export const digestSigningMessage = (position: number, digest: string, computedAt: string): string =>
  `coldtrace-log-digest:v1:${position}:${digest}:${computedAt}`;

const requireEd25519 = (key: KeyObject, what: string): KeyObject => {
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${what} is a ${key.asymmetricKeyType ?? key.type} key, not Ed25519`);
  return key;
};

/** Below this many hashes, signing inline costs less than the hops to the thread pool. */
const SIGN_ON_THREAD_POOL_FROM = 64;
export const signsOnThreadPool = (hashes: number): boolean => hashes >= SIGN_ON_THREAD_POOL_FROM;

/** One public key as published (GET /api/audit/keys). */
export interface PublishedSigningKey {
  readonly signingKeyId: string;
  readonly algorithm: 'Ed25519';
  /** The key that signs new events (the others signed earlier ones). */
  readonly current: boolean;
  /** The 32 raw bytes, hex. */
  readonly publicKey: string;
  /** SubjectPublicKeyInfo PEM, what `openssl pkeyutl -verify -pubin` takes. */
  readonly publicKeyPem: string;
}

/**
 * A worker thread holding a copy of the private key: each message is many
 * 32-byte hashes end to end, each answer their 64-byte Ed25519 signatures in
 * the same order. Unreferenced while idle, so it never keeps a process alive.
 */
class SigningThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (signatures: Buffer) => void; reject: (e: Error) => void }>();
  private next = 0;
  /** Once it has failed or exited it takes no more work: the signer starts another. */
  gone = false;

  constructor(privateKey: KeyObject) {
    this.worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const { sign } = require('node:crypto');
       parentPort.on('message', ({ id, hashes }) => {
         const n = hashes.length / 32, out = Buffer.alloc(n * 64);
         for (let i = 0; i < n; i++) sign(null, hashes.subarray(i * 32, i * 32 + 32), workerData.key).copy(out, i * 64);
         parentPort.postMessage({ id, signatures: out });
       });`,
      { eval: true, workerData: { key: privateKey } },
    );
    this.worker.unref();
    this.worker.on('message', ({ id, signatures }: { id: number; signatures: Uint8Array }) => {
      this.waiting.get(id)?.resolve(Buffer.from(signatures.buffer, signatures.byteOffset, signatures.byteLength));
      this.waiting.delete(id);
      if (this.waiting.size === 0) this.worker.unref();
    });
    const fail = (e: Error) => {
      this.gone = true;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the signing thread exited (${code})`)));
  }

  sign(hashes: Buffer): Promise<Buffer> {
    const id = this.next++;
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, hashes });
    });
  }
}

/** Signs event hashes and digests with the current private key. */
export class EventSigner {
  readonly signingKeyId: string;
  readonly publicKey: KeyObject;

  constructor(private readonly privateKey: KeyObject) {
    requireEd25519(privateKey, 'the signing key');
    if (privateKey.type !== 'private') throw new Error('the signing key must be a private key');
    this.publicKey = createPublicKey(privateKey);
    this.signingKeyId = signingKeyIdOf(this.publicKey);
  }

  signHash(hash: string): EventSignature {
    if (!HASH_HEX.test(hash)) throw new Error(`signHash: not a hash: "${hash}"`);
    return { signingKeyId: this.signingKeyId, signature: sign(null, Buffer.from(hash, 'hex'), this.privateKey).toString('hex') };
  }

  /** One hash on libuv's thread pool: the event loop goes on (hashing the next events, say) while it is signed. */
  signOnPool(hash: string): Promise<EventSignature> {
    if (!HASH_HEX.test(hash)) return Promise.reject(new Error(`signOnPool: not a hash: "${hash}"`));
    return new Promise<EventSignature>((resolve, reject) =>
      sign(null, Buffer.from(hash, 'hex'), this.privateKey, (e, signature) =>
        e ? reject(e) : resolve({ signingKeyId: this.signingKeyId, signature: signature.toString('hex') }),
      ),
    );
  }

  /**
   * Many hashes at once (a batch of scans, a recall reaching thousands of
   * lots): past a few, in one message to a signing thread of this signer's,
   * so a large append neither blocks the event loop (~26 µs an event) nor
   * uses one core only; a scan's one event stays inline. One message for the
   * lot: a call per hash to libuv's pool still cost 13-23 µs of the event
   * loop's time each (a job, a promise and a callback per signature).
   */
  async signHashes(hashes: readonly string[]): Promise<EventSignature[]> {
    if (!signsOnThreadPool(hashes.length)) return hashes.map((h) => this.signHash(h));
    const signatures = (await this.signatureBytes(hashes)).toString('hex');
    return hashes.map((_, i) => ({ signingKeyId: this.signingKeyId, signature: signatures.slice(i * 128, i * 128 + 128) }));
  }

  /** The hashes' signatures signed on the signing thread whatever their number, as raw bytes: 64 a hash, end to end. */
  signatureBytes(hashes: readonly string[]): Promise<Buffer> {
    for (const hash of hashes) if (!HASH_HEX.test(hash)) return Promise.reject(new Error(`signatureBytes: not a hash: "${hash}"`));
    return this.signingThread().sign(Buffer.from(hashes.join(''), 'hex'));
  }

  private thread: SigningThread | undefined;

  private signingThread(): SigningThread {
    if (this.thread === undefined || this.thread.gone) this.thread = new SigningThread(this.privateKey);
    return this.thread;
  }

  signMessage(message: string): EventSignature {
    return { signingKeyId: this.signingKeyId, signature: sign(null, Buffer.from(message, 'utf8'), this.privateKey).toString('hex') };
  }
}

/** Something to verify: a chain hash (hex) or a text message, and the signature claimed for it. */
export interface SignatureJob {
  readonly hash: string;
  readonly signature: EventSignature | null;
}

/**
 * The public keys an event may be signed with, by id: the current one and
 * the keys rotated out before it. Trusted only because they come from
 * outside the database (the key file, or keys the verifier pinned).
 */
export class EventKeyRing {
  private readonly keys = new Map<string, KeyObject>();

  constructor(
    publicKeys: readonly KeyObject[],
    readonly currentKeyId: string | null = null,
  ) {
    for (const key of publicKeys) {
      const publicKey = key.type === 'private' ? createPublicKey(key) : key;
      requireEd25519(publicKey, 'a verification key');
      this.keys.set(signingKeyIdOf(publicKey), publicKey);
    }
    if (currentKeyId !== null && !this.keys.has(currentKeyId)) throw new Error(`the current key ${currentKeyId} is not in the key ring`);
  }

  get size(): number {
    return this.keys.size;
  }

  has(signingKeyId: string): boolean {
    return this.keys.has(signingKeyId);
  }

  /** The ring's keys as published, the current one first. */
  published(): PublishedSigningKey[] {
    return [...this.keys.entries()]
      .map(([signingKeyId, key]) => ({
        signingKeyId,
        algorithm: 'Ed25519' as const,
        current: signingKeyId === this.currentKeyId,
        publicKey: rawPublicKey(key).toString('hex'),
        publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(),
      }))
      .sort((a, b) => Number(b.current) - Number(a.current) || a.signingKeyId.localeCompare(b.signingKeyId));
  }

  /** Checks a signature over a text message (a digest's): null when it holds. */
  verifyMessage(message: string, signature: EventSignature | null): SignatureFailure | null {
    const key = this.keyFor(signature);
    if (typeof key === 'string') return key;
    return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature!.signature, 'hex')) ? null : 'BAD_SIGNATURE';
  }

  /**
   * Checks each job's signature over its hash, on libuv's thread pool (an
   * Ed25519 verification costs ~80 µs: a long walk must neither block the
   * event loop nor use one core only). Null where it holds.
   */
  verifyMany(jobs: readonly SignatureJob[]): Promise<(SignatureFailure | null)[]> {
    return Promise.all(
      jobs.map((job) => {
        const key = this.keyFor(job.signature);
        if (typeof key === 'string') return key;
        if (!HASH_HEX.test(job.hash)) return 'BAD_SIGNATURE' as const;
        return new Promise<SignatureFailure | null>((resolve, reject) =>
          verify(null, Buffer.from(job.hash, 'hex'), key, Buffer.from(job.signature!.signature, 'hex'), (e, ok) =>
            e ? reject(e) : resolve(ok ? null : 'BAD_SIGNATURE'),
          ),
        );
      }),
    );
  }

  private keyFor(signature: EventSignature | null): KeyObject | SignatureFailure {
    if (!signature) return 'UNSIGNED';
    const key = this.keys.get(signature.signingKeyId);
    if (!key) return 'UNKNOWN_SIGNING_KEY';
    if (!SIGNATURE_HEX.test(signature.signature)) return 'BAD_SIGNATURE';
    return key;
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----\r?\n[\s\S]*?-----END \1-----/g;

/**
 * The keys of a PEM text: every block a PRIVATE KEY or PUBLIC KEY, Ed25519.
 * A key file holds the current private key first, then (after a rotation)
 * the keys used before, private or public: only their public halves are used.
 */
export const parseSigningKeyPem = (text: string): KeyObject[] => {
  const keys: KeyObject[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const [block, label] = match;
    const n = keys.length + 1;
    let key: KeyObject;
    try {
      if (label === 'PRIVATE KEY') key = createPrivateKey(block);
      else if (label === 'PUBLIC KEY') key = createPublicKey(block);
      else throw new Error(`a ${label} block (expected PRIVATE KEY or PUBLIC KEY)`);
    } catch (e) {
      throw new Error(`key ${n} is not readable: ${(e as Error).message}`);
    }
    requireEd25519(key, `key ${n}`);
    keys.push(key);
  }
  return keys;
};

/** The signer and the ring of a key file's text: the first block signs, every block verifies. */
export const signingKeysFromPem = (text: string): { signer: EventSigner; ring: EventKeyRing } => {
  const keys = parseSigningKeyPem(text);
  if (keys.length === 0) throw new Error('it holds no PEM key (make one: openssl genpkey -algorithm ed25519)');
  if (keys[0].type !== 'private') throw new Error('its first key must be the private key that signs (PRIVATE KEY), the keys used before after it');
  const signer = new EventSigner(keys[0]);
  return { signer, ring: new EventKeyRing(keys, signer.signingKeyId) };
};

/**
 * Public keys a verifier trusts, from a PEM text (a key file, or public keys
 * alone) or the JSON GET /api/audit/keys answers. Ids are recomputed from
 * the keys, never taken from the file.
 */
export const keyRingFromText = (text: string): EventKeyRing => {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    const parsed = JSON.parse(trimmed) as { keys?: { publicKeyPem?: unknown }[] };
    if (!Array.isArray(parsed.keys)) throw new Error('the JSON has no keys list (expected what GET /api/audit/keys answers)');
    const pems = parsed.keys.map((k) => {
      if (typeof k.publicKeyPem !== 'string') throw new Error('a key in the JSON has no publicKeyPem');
      return k.publicKeyPem;
    });
    return new EventKeyRing(pems.flatMap(parseSigningKeyPem));
  }
  const keys = parseSigningKeyPem(text);
  if (keys.length === 0) throw new Error('it holds no PEM key and is not the JSON of GET /api/audit/keys');
  return new EventKeyRing(keys);
};
