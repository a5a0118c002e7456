import { ApiProperty } from '@nestjs/swagger';
import type { PublishedSigningKey } from '@app/event-store';
import type { SigningKeysView } from './list-signing-keys.query';

export class PublishedSigningKeyResponse implements PublishedSigningKey {
  @ApiProperty({ pattern: '^[0-9a-f]{16}$', description: 'What events and digests name as signingKeyId: the first 16 hex digits of SHA-256 over the raw public key' })
  signingKeyId: string;

  @ApiProperty({ enum: ['Ed25519'] })
  algorithm: 'Ed25519';

  @ApiProperty({ description: 'The key that signs new events (the others signed earlier ones)' })
  current: boolean;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'The 32 raw bytes of the public key (RFC 8032), hex' })
  publicKey: string;

  @ApiProperty({ description: 'The same key as SubjectPublicKeyInfo PEM (what `openssl pkeyutl -verify -pubin -inkey` takes)' })
  publicKeyPem: string;
}

export class SigningKeysResponse implements SigningKeysView {
  @ApiProperty({ pattern: '^[0-9a-f]{16}$' })
  currentKeyId: string;

  @ApiProperty({ type: [PublishedSigningKeyResponse] })
  keys: PublishedSigningKeyResponse[];
}
