import { Command } from '@nestjs/cqrs';
import type { Role } from '@app/domain';
import type { RequestContext } from '../../../common/http/request-context';
import { newToken } from '../../../access/access-token';
import { IssueKeyRequestDto } from './issue-key.request.dto';

/** The only answer that ever shows the token. */
export interface IssuedKey {
  id: string;
  name: string;
  role: Role;
  facilityIds: string[];
  createdAt: string;
  token: string;
}

export class IssueKeyCommand extends Command<IssuedKey> {
  constructor(
    readonly request: IssueKeyRequestDto,
    readonly context: RequestContext,
    /** Made here unless the caller already had to write it somewhere (the first-start admin token file). */
    readonly token: string = newToken(),
  ) {
    super();
  }
}
