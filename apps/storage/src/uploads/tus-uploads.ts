import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Principal } from '@edd/auth-client';
import { publicEntryPoints } from '@edd/config';
import { HttpError, isAllowedOrigin, parseEntryPoints } from '@edd/http';
import { EVENTS, Server, type ServerOptions, type Upload } from '@tus/server';
import { NodeRequest, sendNodeResponse } from 'srvx/node';
import type { StorageDeps } from '../context';
import { findNamespace } from '../data/namespaces';
import { forgetFinishedUploads, isFinishedUpload, recordFinishedUpload } from '../data/tus-finished-uploads';
import { decideFileWrite } from '../domain/access';
import { allowedNamespace, assertAllowed } from '../domain/access-errors';
import { parseFilePath, parseNamespaceName } from '../domain/names';
import { storedContentType } from '../http/media-type';
import { silentReporter } from '../progress/transfer';
import { precheckUpload, storeFile } from '../services/store-file';
import { tusError, toTusAnswer } from './tus-errors';
import { FINISHED_KEY, OWNER_KEY, TusPartStore, isFinished } from './tus-part-store';
import { TRANSFER_KEY, claimUploadTransfer, creationTransferId, createTusProgress } from './tus-progress';

export const TUS_PATH = '/storage/uploads';
/** An unfinished upload's bytes are kept this long after its creation, then the sweep removes them. */
export const TUS_EXPIRATION_MS = 24 * 60 * 60 * 1000;
/** How often a PATCH's body reports progress while it streams (as often as a raw upload's at most). */
const PROGRESS_INTERVAL_MS = 500;
/** tus's own ids (Uid.rand): anything else is no upload of ours, and never reaches the file store as a path. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;

type TusRequest = Parameters<NonNullable<ServerOptions['onIncomingRequest']>>[0];

/** Where the finished upload goes, from its (client-sent, string-valued) metadata, checked with the file rules. */
interface Destination {
  namespaceName: string;
  path: string;
  contentType: string;
  overwrite: boolean;
}

/**
 * tus 1.0 at `/storage/uploads` (creation, creation-with-upload, termination, expiration) on @tus/server, parts in
 * `<STORAGE_DIR>/.tus` (never among the objects). The caller is checked before a byte is stored: owner of the
 * metadata's namespace with `files` create scope, a size within the limits and the quota. An upload belongs to its
 * creator: anyone else gets 404. The finished upload goes through storeFile, so it appears with its row and event
 * at once, then its part is removed (its record stays as a tombstone: see TusPartStore); the last PATCH answers
 * after that. With a transfer id (`X-Transfer-Id` or metadata `transfer_id` at creation) it reports progress.
 */
export function createTusUploads(deps: StorageDeps) {
  // The caller of each tus request (the request object tus hands to its hooks).
  const principals = new WeakMap<object, Principal>();
  const store = new TusPartStore({ directory: join(deps.config.STORAGE_DIR, '.tus'), expirationPeriodInMilliseconds: TUS_EXPIRATION_MS });
  // Only what issue 9 asks for: a deferred length would escape the quota check at creation.
  store.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  const progress = createTusProgress(deps);

  const principalOf = (req: TusRequest): Principal => {
    const principal = principals.get(req);
    if (!principal) throw tusError(new HttpError('unauthenticated'));
    return principal;
  };

  const entryPoints = parseEntryPoints(publicEntryPoints(deps.config));
  const server = new Server({
    path: TUS_PATH,
    datastore: store,
    // Behind the gateway the host is the public one only through X-Forwarded-*: a relative URL is right everywhere.
    relativeLocation: true,
    // The same origins and credentials as the rest of the API (tus writes its own CORS headers over the middleware's).
    allowedOrigins: (origin) => isAllowedOrigin(origin, deps.config.EDD_DOMAIN, deps.config.CORS_EXTRA_ORIGINS, entryPoints),
    allowedCredentials: true,
    postReceiveInterval: PROGRESS_INTERVAL_MS,
    getFileIdFromRequest: (_req, lastPath) => (lastPath !== undefined && UPLOAD_ID.test(lastPath) ? lastPath : undefined),
    onUploadCreate: async (req, upload) => {
      try {
        const principal = principalOf(req);
        if (upload.size === undefined) throw new HttpError('invalid_request', 'Upload-Length is required');
        const destination = destinationOf(upload);
        const found = await findNamespace(deps.db, destination.namespaceName);
        const namespace = allowedNamespace(decideFileWrite(principal, found, 'create'), found, 'create');
        if (destination.overwrite) assertAllowed(decideFileWrite(principal, namespace, 'update'), 'update');
        await precheckUpload(deps, { ...fileOf(destination), namespace, declaredSize: upload.size });
        const transferId = creationTransferId(req.headers.get('x-transfer-id'), upload.metadata);
        if (transferId !== undefined) await claimUploadTransfer(deps, transferId, principal.userId);
        const { [FINISHED_KEY]: _ignored, [TRANSFER_KEY]: _replaced, ...sent } = upload.metadata ?? {};
        return {
          metadata: {
            ...sent,
            ...metadataOf(destination),
            [OWNER_KEY]: principal.userId,
            ...(transferId !== undefined ? { [TRANSFER_KEY]: transferId } : {}),
          },
        };
      } catch (error) {
        throw error instanceof HttpError ? tusError(error) : error;
      }
    },
    onIncomingRequest: async (req, id) => {
      // A creation is checked in onUploadCreate (its id is new); every other request must come from the creator.
      if (req.method === 'POST') return;
      const principal = principalOf(req);
      const upload = await store.getUpload(id).catch(() => undefined);
      if (!upload || upload.metadata?.[OWNER_KEY] !== principal.userId) throw tusError(new HttpError('not_found', 'upload not found'));
      // tus-js-client resuming after the crash window (see finish) sends no PATCH when HEAD says every byte is here:
      // the file is stored, so mark the upload finished now rather than keep its full part until it expires.
      if (upload.offset === upload.size && !isFinished(upload) && (await isFinishedUpload(deps.db, id))) await store.markFinished(id);
    },
    onUploadFinish: async (req, upload) => {
      // A client asking again after the answer to its last PATCH was lost: the file is stored already, once.
      if (isFinished(upload)) return {};
      try {
        await finish(req, upload);
        await progress.report(upload, {});
        return {};
      } catch (error) {
        // A refused upload is over: its part goes, so a client resuming it learns (404) rather than sees it "complete".
        await store.remove(upload.id).catch(() => undefined);
        await progress.report(upload, { error: error instanceof HttpError ? error.message : 'the upload could not be stored' });
        throw error instanceof HttpError ? tusError(error) : error;
      }
    },
    onResponseError: (req, error) => {
      const answer = toTusAnswer(error);
      if (answer.unexpected) deps.logger.error('tus request failed', { method: req.method, url: req.url, error: String(error) });
      return { status_code: answer.status_code, body: answer.body };
    },
  });

  async function finish(req: TusRequest, upload: Upload): Promise<void> {
    // A process that died after the file's commit and before markFinished left the record unmarked with every byte in
    // its part: the client's repeated PATCH lands here again. The file is stored already (its commit recorded the
    // upload): storing it again would answer 409 (the path is taken) or, with overwrite, store it twice. Only the
    // mark is missing, and the client hears "complete" as it would have.
    if (!(await isFinishedUpload(deps.db, upload.id))) await storeOnce(req, upload);
    // Its bytes go, its record stays (until it expires) to answer a client that asks again: "complete".
    await store.markFinished(upload.id);
  }

  async function storeOnce(req: TusRequest, upload: Upload): Promise<void> {
    const principal = principalOf(req);
    const destination = destinationOf(upload);
    const found = await findNamespace(deps.db, destination.namespaceName);
    const namespace = allowedNamespace(decideFileWrite(principal, found, 'create'), found, 'create');
    // Every byte is here: a client leaving now does not undo the upload.
    await storeFile(deps, {
      ...fileOf(destination),
      namespace,
      declaredSize: upload.size,
      exactSize: upload.size,
      source: store.read(upload.id),
      progress: silentReporter,
      signal: new AbortController().signal,
      inCommit: (client) => recordFinishedUpload(client, upload.id),
    });
  }

  // While a body streams (every PROGRESS_INTERVAL_MS), after each request that stored bytes, and at the end.
  server.on(EVENTS.POST_RECEIVE, (_source: unknown, upload: Upload) => void progress.report(upload));
  const reportStored = async (id: string | undefined) => {
    const upload = id !== undefined && UPLOAD_ID.test(id) ? await store.getUpload(id).catch(() => undefined) : undefined;
    if (upload && !isFinished(upload)) await progress.report(upload);
  };

  return {
    /** Answers one tus request as `req.principal` (none for a CORS preflight). */
    async handle(req: IncomingMessage & { principal?: Principal }, res: ServerResponse): Promise<void> {
      const request = new NodeRequest({ req, res });
      if (req.principal) principals.set(request, req.principal);
      const response = await server.handleWeb(request);
      if ((req.method === 'PATCH' || req.method === 'POST') && response.ok) {
        const location = req.method === 'POST' ? (response.headers.get('location') ?? '') : (req.url ?? '');
        await reportStored(location.split('?')[0]?.split('/').pop());
      }
      await sendNodeResponse(res, await asJsonError(response));
    },
    /** Removes the parts of unfinished uploads past their expiry, and parts without a record older than `orphanAfterMs`. */
    sweepExpired: async (orphanAfterMs: number) => {
      await store.sweepOrphanParts(orphanAfterMs);
      // Finished longer ago than a record lives: no client can ask about those again.
      await forgetFinishedUploads(deps.db, TUS_EXPIRATION_MS);
      return server.cleanUpExpiredUploads();
    },
  };
}

export type TusUploads = ReturnType<typeof createTusUploads>;

function destinationOf(upload: Upload): Destination {
  const metadata = upload.metadata ?? {};
  const overwrite = metadata['overwrite'] ?? 'false';
  if (overwrite !== 'true' && overwrite !== 'false')
    throw new HttpError('invalid_request', 'metadata "overwrite" must be "true" or "false"', {
      details: [{ path: 'overwrite', message: 'not "true" or "false"' }],
    });
  return {
    namespaceName: parseNamespaceName(metadata['namespace'] ?? undefined),
    path: parseFilePath(metadata['path'] ?? undefined),
    contentType: storedContentType(metadata['filetype'] ?? undefined),
    overwrite: overwrite === 'true',
  };
}

function metadataOf(destination: Destination): Record<string, string> {
  return {
    namespace: destination.namespaceName,
    path: destination.path,
    filetype: destination.contentType,
    overwrite: String(destination.overwrite),
  };
}

function fileOf(destination: Destination) {
  return { path: destination.path, contentType: destination.contentType, overwrite: destination.overwrite };
}

/** tus sends every body as text/plain; an error's is our JSON (onResponseError), and says so. */
async function asJsonError(response: Response): Promise<Response> {
  if (response.status < 400) return response;
  const headers = new Headers(response.headers);
  headers.set('Content-Type', 'application/json; charset=utf-8');
  return new Response(await response.text(), { status: response.status, headers });
}
