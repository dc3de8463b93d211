import { Router } from 'express';
import { scopeCatalog } from '@edd/scopes';
import type { AuthContext } from '../context';

/** GET /.well-known/jwks.json (RFC 7517 §5) and GET /api/scopes (the dashboard's scope picker). */
export function publicMetadataRoutes(ctx: AuthContext): Router {
  const router = Router();

  router.get('/.well-known/jwks.json', async (_req, res) => {
    // Short cache: verifiers refetch on an unknown kid anyway, and a rotation must reach them well within a TTL.
    res.set('Cache-Control', 'public, max-age=300');
    res.json(await ctx.keys.jwks());
  });

  router.get('/api/scopes', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600');
    res.json(scopeCatalog);
  });

  return router;
}
