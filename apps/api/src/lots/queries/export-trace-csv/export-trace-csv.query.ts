import { Query } from '@nestjs/cqrs';
import type { Principal } from '@app/domain';
import type { CsvExport } from '../../../common/http/csv';

export class ExportTraceCsvQuery extends Query<CsvExport> {
  constructor(
    readonly traceCode: string,
    readonly direction: 'forward' | 'backward',
    readonly atLeast: number | undefined,
    /** Who asks: an operator gets the lots of the trace it may see, as GET .../trace shows them. */
    readonly viewer: Principal,
  ) {
    super();
  }
}
