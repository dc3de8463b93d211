import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataTable } from './data-table';

interface Row {
  id: string;
  name: string;
  agent: string;
}
const rows: Row[] = [
  { id: 'a', name: 'first', agent: 'Chrome' },
  { id: 'b', name: 'second', agent: 'curl' },
];

describe('DataTable', () => {
  const html = (withActions: boolean) =>
    renderToStaticMarkup(
      <DataTable
        caption="Things"
        rows={rows}
        rowKey={(row) => row.id}
        rowHeader={{ header: 'Name', cell: (row) => row.name }}
        columns={[{ header: 'Device', wrap: true, cell: (row) => row.agent }]}
        actions={withActions ? (row) => <button type="button">Delete {row.name}</button> : undefined}
      />,
    );

  it('names each row with a row header and labels every other cell with its column (the phone layout shows it)', () => {
    const markup = html(false);
    expect(markup).toContain('<caption class="sr-only">Things</caption>');
    expect(markup).toContain('<th scope="col">Name</th><th scope="col">Device</th></tr>');
    expect(markup).toContain('<th scope="row">first</th><td data-label="Device" class="wrap">Chrome</td>');
    expect(markup).not.toContain('Actions');
  });

  it('adds an actions column whose header only screen readers get', () => {
    const markup = html(true);
    expect(markup).toContain('<th scope="col"><span class="sr-only">Actions</span></th>');
    expect(markup).toContain('<td class="actions"><button type="button">Delete second</button></td>');
  });
});
