import type { ComputeImagesResponse } from '@edd/api-contracts';
import type { Express } from 'express';
import { imagePrefixOf } from '../config';
import type { ComputeDeps } from '../context';
import { requireComputeScope } from './guards';

/**
 * `GET /compute/images`: the builtin image and the prefix every other image must have. The original listed the
 * registry's repositories by forwarding the caller's credentials to it and swallowed its errors; the dashboard can
 * ask the registry itself.
 */
export function mountImageRoutes(app: Express, deps: ComputeDeps): void {
  app.get('/compute/images', requireComputeScope('containers', 'read'), (_req, res) => {
    const body: ComputeImagesResponse = {
      images: [{ name: 'base', image: deps.config.COMPUTE_DEFAULT_IMAGE, source: 'builtin' }],
      allowed_prefix: imagePrefixOf(deps.config),
    };
    res.json(body);
  });
}
