import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** Body of a regulator's lock or unlock: why, in words that go into the lot's history. */
export class RegulatorReasonRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 500, description: 'Why, in words that go into the lot\'s history' })
  @IsString()
  @Length(1, 500)
  reason: string;
}
