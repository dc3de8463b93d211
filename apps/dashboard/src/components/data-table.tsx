import type { ReactNode } from 'react';

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
  /** Long free text (user agents) may wrap instead of widening the table. */
  wrap?: boolean;
}

interface DataTableProps<Row> {
  /** Read by screen readers only; the panel's heading is the visible title. */
  caption: string;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** The first column names the row (a row header), e.g. the username. */
  rowHeader: Column<Row>;
  columns: ReadonlyArray<Column<Row>>;
  /** Buttons for one row (revoke, delete) in a last column without a visible header. */
  actions?: (row: Row) => ReactNode;
}

/** A list of records; on a phone each row becomes a card whose cells name their column (data-label). */
export function DataTable<Row>({ caption, rows, rowKey, rowHeader, columns, actions }: DataTableProps<Row>) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {[rowHeader, ...columns].map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              <th scope="row" className={rowHeader.wrap ? 'wrap' : undefined}>
                {rowHeader.cell(row)}
              </th>
              {columns.map((column) => (
                <td key={column.header} data-label={column.header} className={column.wrap ? 'wrap' : undefined}>
                  {column.cell(row)}
                </td>
              ))}
              {actions && <td className="actions">{actions(row)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
