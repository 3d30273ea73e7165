// The reading stage's rows, all read, for its in-process tests (read/index.test.ts, read/rows.test.ts).
import { formatOf, openRows, type ReadOptions, type Row, type RowSource } from '../read/index.js';
import { technicianFields } from '../schema.js';

/** Opens `path` as an import does (format from its extension, the technician's fields) and reads every row. */
export async function readAll(path: string, options: Partial<ReadOptions> = {}): Promise<{ source: RowSource; rows: Row[] }> {
  const source = await openRows(path, { format: formatOf(path), fields: technicianFields, ...options });
  const rows: Row[] = [];
  for await (const row of source.rows) rows.push(row);
  return { source, rows };
}
