import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

export class VerifyLogDigestRequestDto {
  /** The `position` GET /api/audit/digest answered with. */
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  position: number;

  /** The `digest` it answered with: 64 lowercase hex digits. */
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'digest must be 64 lowercase hex digits (a SHA-256)' })
  digest: string;
}
