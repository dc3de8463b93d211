import { useState } from 'react';
import type { FormEvent } from 'react';
import { Panel } from '../components/panel';
import { downloadUrl, searchLogs } from './logs-api';
import type { LogEntryJson } from './logs-api';
import { FilterFields } from './filter-fields';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `GET /logs/api/entries`: the archive (WARN and above, audit entries) of the last day or week, newest first. */
export function ArchiveSearchPanel() {
  const [results, setResults] = useState<LogEntryJson[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const search = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const range = Number(data.get('range') ?? 1);
    setBusy(true);
    setError(undefined);
    try {
      setResults(
        await searchLogs({
          source: String(data.get('source') ?? ''),
          level: String(data.get('level') ?? ''),
          q: String(data.get('q') ?? ''),
          since: new Date(Date.now() - range * DAY_MS).toISOString(),
          limit: 200,
        }),
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Panel title="Search the archive" description="WARN and above, and audit entries, are kept 14 days.">
      <form className="form-inline" aria-label="Archive search" onSubmit={(event) => void search(event)}>
        <FilterFields idPrefix="search" />
        <div className="field">
          <label htmlFor="search-range">Within</label>
          <select id="search-range" name="range" defaultValue="1">
            <option value="1">the last day</option>
            <option value="7">the last 7 days</option>
            <option value="14">the last 14 days</option>
          </select>
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Searching…' : 'Search'}
          </button>
        </div>
      </form>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      {results && (
        <div className="table-wrap">
          <p className="muted" aria-live="polite" data-testid="search-count">
            {results.length === 0 ? 'No entries match.' : `${results.length} entries, newest first.`}
          </p>
          {results.length > 0 && (
            <table data-testid="search-results">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Level</th>
                  <th scope="col">Source</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {results.map((entry, i) => (
                  <tr key={`${entry.timeMs}-${i}`}>
                    <td className="mono">{new Date(entry.timeMs).toLocaleString()}</td>
                    <td>{entry.level}</td>
                    <td className="mono">{entry.source}</td>
                    <td className="mono">{entry.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </Panel>
  );
}

/** `GET /logs/download?date=`: one UTC day of the archive as a zip of .log and .jsonl. */
export function DownloadPanel() {
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  return (
    <Panel title="Download a day" description="The archived entries of one UTC day, as a zip with a .log and a .jsonl file.">
      <div className="form-inline">
        <div className="field">
          <label htmlFor="download-date">Day (UTC)</label>
          <input id="download-date" type="date" value={date} onChange={(event) => setDate(event.target.value)} />
        </div>
        <div className="form-actions">
          <a className="button button-secondary" href={downloadUrl(date)} download>
            Download
          </a>
        </div>
      </div>
    </Panel>
  );
}
