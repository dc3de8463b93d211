import { httpErrors } from '@edd/http';
import type { Express } from 'express';
import { searchArchive } from '../archive/search';
import type { LogsDeps } from '../context';
import { requireLogsRead } from './access';
import { entryJson } from './entry-json';
import { levelParam, limitParam, ownerScope, principalOf, sourceParam, textParam, timeParam } from './query';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_RANGE_MS = 15 * DAY_MS;

/** `GET /logs/api/entries?source&level&since&until&q&limit`: search the archive (WARN+ and audit entries), newest first. */
export function mountEntryRoutes(app: Express, deps: LogsDeps): void {
  app.get('/logs/api/entries', requireLogsRead, async (req, res) => {
    const principal = principalOf(req);
    const untilMs = timeParam(req, 'until') ?? Date.now();
    const sinceMs = timeParam(req, 'since') ?? untilMs - DAY_MS;
    if (sinceMs >= untilMs) throw httpErrors.badRequest('since must be before until');
    if (untilMs - sinceMs > MAX_RANGE_MS) throw httpErrors.badRequest('since..until: at most 15 days');
    const source = sourceParam(req);
    const minLevel = levelParam(req);
    const text = textParam(req);
    const ownerId = ownerScope(principal);
    const entries = await searchArchive(deps.db, {
      sinceMs,
      untilMs,
      limit: limitParam(req, 100, 1000),
      ...(source ? { source } : {}),
      ...(minLevel ? { minLevel } : {}),
      ...(text ? { text } : {}),
      ...(ownerId !== undefined ? { ownerId } : {}),
    });
    res.json({ entries: entries.map(entryJson) });
  });
}
