import { Query } from '@nestjs/cqrs';
import type { CsvExport } from '../../../common/http/csv';

export class ExportRecallCsvQuery extends Query<CsvExport> {
  constructor(
    readonly recallId: string,
    readonly atLeast: number | undefined,
  ) {
    super();
  }
}
