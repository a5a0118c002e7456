import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

export class VerifyLogDigestRequestDto {
  /** The `position` GET /api/audit/digest answered with. */
  @ApiProperty({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'The `position` GET /api/audit/digest answered with' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  position: number;

  /** The `digest` it answered with: 64 lowercase hex digits. */
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'The `digest` it answered with (SHA-256, lowercase hex)' })
  @IsString()
  @Matches(/^[0-9a-f]{64}$/, { message: 'digest must be 64 lowercase hex digits (a SHA-256)' })
  digest: string;
}
