import { httpErrors } from '@edd/http';
import type { Express } from 'express';
import { pipeline } from 'node:stream/promises';
import { dayZip } from '../archive/day-zip';
import { dayEntries } from '../archive/search';
import type { LogsDeps } from '../context';
import { requireLogsRead } from './access';
import { ownerScope, principalOf } from './query';

/** `GET /logs/download?date=YYYY-MM-DD`: the day's archived entries as a zip of `.log` and `.jsonl`, streamed. */
export function mountDownloadRoutes(app: Express, deps: LogsDeps): void {
  app.get('/logs/download', requireLogsRead, async (req, res) => {
    const principal = principalOf(req);
    const date = req.query['date'];
    const dayStartMs = typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : NaN;
    if (!Number.isFinite(dayStartMs) || new Date(dayStartMs).toISOString().slice(0, 10) !== date)
      throw httpErrors.badRequest('date: a day as YYYY-MM-DD');
    const ownerId = ownerScope(principal);
    const first = await dayEntries(deps.db, dayStartMs, ownerId).next();
    if (first.done) throw httpErrors.notFound(`no archived logs for ${date}`);
    const name = `edd-cloud-logs-${date}`;
    res.writeHead(200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${name}.zip"`,
      'Cache-Control': 'no-store',
    });
    await pipeline(
      dayZip(name, () => dayEntries(deps.db, dayStartMs, ownerId)),
      res,
    ).catch((err: unknown) => req.log?.warn('log download interrupted', { error: err }));
  });
}
