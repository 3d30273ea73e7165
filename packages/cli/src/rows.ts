// The rows of an input file: read in stages under read/ (encoding, dialect or workbook, columns).
export { countRows, formatOf, INPUT_FORMATS, openRows, REASON_COLUMN, STATUS_FIELDS } from './read/index.js';
export type { Dialect, InputFormat, ReadOptions, Row, RowSource } from './read/index.js';
