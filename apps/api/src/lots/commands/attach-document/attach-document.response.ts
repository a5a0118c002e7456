import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LotCommandResponse } from '../../lot-command.response';
import type { AttachDocumentResult } from './attach-document.command';

export class AttachDocumentResponse extends LotCommandResponse implements AttachDocumentResult {
  @ApiProperty({ description: 'The lot is locked now (a POSITIVE nucleic-acid test locks it at once)' })
  locked: boolean;

  @ApiProperty({ description: 'How many descendants without a valid document of that type received it too' })
  documentReached: number;

  @ApiPropertyOptional({ description: 'A POSITIVE result: the recall of the whole batch' })
  recallId?: string;

  @ApiPropertyOptional({ description: 'A POSITIVE result: how many lots that recall reached' })
  lotsRecalled?: number;
}
