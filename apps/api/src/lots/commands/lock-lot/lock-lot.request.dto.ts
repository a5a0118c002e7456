import { IsString, Length } from 'class-validator';

/** Body of a regulator's lock or unlock: why, in words that go into the lot's history. */
export class RegulatorReasonRequestDto {
  @IsString()
  @Length(1, 500)
  reason: string;
}
