import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { digestSigningMessage, EventKeyRing, EventSigner, keyRingFromText, parseSigningKeyPem, rawPublicKey, signingKeyIdOf, signingKeysFromPem } from './event-signature';

const pem = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const hash = (s: string) => createHash('sha256').update(s).digest('hex');

describe('event signatures', () => {
  it('signs the 32 raw bytes of a hash with Ed25519, under a key id anyone can recompute from the public key', async () => {
    const { signer, ring } = signingKeysFromPem(pem());
    const h = hash('event');
    const sig = signer.signHash(h);
    expect(sig.signingKeyId).toMatch(/^[0-9a-f]{16}$/);
    expect(sig.signature).toMatch(/^[0-9a-f]{128}$/);
    // Plain Ed25519 over the hash bytes: no code of ours needed to check it.
    expect(verify(null, Buffer.from(h, 'hex'), signer.publicKey, Buffer.from(sig.signature, 'hex'))).toBe(true);
    expect(createHash('sha256').update(rawPublicKey(signer.publicKey)).digest('hex').slice(0, 16)).toBe(sig.signingKeyId);
    expect(await ring.verifyMany([{ hash: h, signature: sig }])).toEqual([null]);
  });

  it('signs many hashes at once (on the thread pool past a few) exactly as one at a time', async () => {
    const { signer, ring } = signingKeysFromPem(pem());
    for (const n of [1, 63, 64, 300]) {
      const hashes = Array.from({ length: n }, (_, i) => hash(`e${i}`));
      const many = await signer.signHashes(hashes);
      // Ed25519 is deterministic: the same signature either way.
      expect(many).toEqual(hashes.map((h) => signer.signHash(h)));
      expect((await signer.signatureBytes(hashes)).toString('hex')).toBe(many.map((s) => s.signature).join(''));
      expect(new Set(await ring.verifyMany(hashes.map((h, i) => ({ hash: h, signature: many[i] }))))).toEqual(new Set([null]));
    }
  });

  it('names what is wrong: unsigned, a key it does not know, a signature that does not hold', async () => {
    const { signer, ring } = signingKeysFromPem(pem());
    const stranger = signingKeysFromPem(pem()).signer;
    const h = hash('a');
    const good = signer.signHash(h);
    expect(
      await ring.verifyMany([
        { hash: h, signature: null },
        { hash: h, signature: stranger.signHash(h) },
        { hash: hash('b'), signature: good },
        { hash: h, signature: { ...good, signature: '0'.repeat(128) } },
        { hash: h, signature: { ...good, signature: 'zz' } },
        // A forger's own key under the trusted key's id.
        { hash: h, signature: { signingKeyId: signer.signingKeyId, signature: stranger.signHash(h).signature } },
      ]),
    ).toEqual(['UNSIGNED', 'UNKNOWN_SIGNING_KEY', 'BAD_SIGNATURE', 'BAD_SIGNATURE', 'BAD_SIGNATURE', 'BAD_SIGNATURE']);
  });

  it('after a rotation the file holds the new private key first and the old public key after it: both verify, the new one signs', async () => {
    const old = pem();
    const oldKeys = signingKeysFromPem(old);
    const oldPublic = oldKeys.signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const rotated = signingKeysFromPem(`${pem()}${oldPublic}`);
    expect(rotated.signer.signingKeyId).not.toBe(oldKeys.signer.signingKeyId);
    const h = hash('x');
    expect(await rotated.ring.verifyMany([{ hash: h, signature: oldKeys.signer.signHash(h) }, { hash: h, signature: rotated.signer.signHash(h) }])).toEqual([
      null,
      null,
    ]);
    expect(rotated.ring.published().map((k) => [k.signingKeyId, k.current])).toEqual([
      [rotated.signer.signingKeyId, true],
      [oldKeys.signer.signingKeyId, false],
    ]);
    // What is published can be read back as a ring (a verifier pinning GET /api/audit/keys).
    const pinned = keyRingFromText(JSON.stringify({ keys: rotated.ring.published() }));
    expect(pinned.has(oldKeys.signer.signingKeyId) && pinned.has(rotated.signer.signingKeyId)).toBe(true);
    expect(keyRingFromText(oldPublic).has(oldKeys.signer.signingKeyId)).toBe(true);
  });

  it('signs a digest as a text message bound to its position and time, which a ring checks', () => {
    const { signer, ring } = signingKeysFromPem(pem());
    const message = digestSigningMessage(42, hash('d'), '2026-12-01T00:00:00.000Z');
    expect(message).toBe(`coldtrace-log-digest:v1:42:${hash('d')}:2026-12-01T00:00:00.000Z`);
    const sig = signer.signMessage(message);
    expect(ring.verifyMessage(message, sig)).toBeNull();
    expect(ring.verifyMessage(digestSigningMessage(43, hash('d'), '2026-12-01T00:00:00.000Z'), sig)).toBe('BAD_SIGNATURE');
  });

  it('refuses key files that cannot sign or are not Ed25519', () => {
    expect(() => signingKeysFromPem('')).toThrow('it holds no PEM key');
    const pub = signingKeysFromPem(pem()).signer.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => signingKeysFromPem(pub)).toThrow('its first key must be the private key');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => parseSigningKeyPem(rsa)).toThrow('key 1 is a rsa key, not Ed25519');
    expect(() => parseSigningKeyPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')).toThrow('a CERTIFICATE block');
    expect(() => new EventKeyRing([], 'abcdef0123456789')).toThrow('not in the key ring');
    expect(() => new EventSigner(signingKeysFromPem(pem()).signer.publicKey)).toThrow('must be a private key');
    expect(signingKeyIdOf(signingKeysFromPem(pem()).signer.publicKey)).toMatch(/^[0-9a-f]{16}$/);
  });
});
