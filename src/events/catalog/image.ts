import { z } from 'zod';
import { defineEvent } from '../define.js';

const imageKind = z.enum(['base', 'construct', 'dind', 'derived']);

const imageRef = {
  tag: z.string().min(1),
  image: imageKind,
  recipeHash: z.string().min(1),
  /** Role key, for derived images. */
  role: z.string().optional(),
};

/**
 * Image builds (stream `image-<tag>`). A reuse (recipe hash matched) is a single ImageBuilt with
 * cache=hit; a build is ImageBuildRequested followed by ImageBuilt (cache=miss) or ImageBuildFailed.
 */
export const imageEvents = {
  ImageBuildRequested: defineEvent({
    version: 1,
    description:
      'jackin is about to build (or bootstrap) an image because it is missing, its recipe changed, or --rebuild.',
    schema: () =>
      z.object({
        ...imageRef,
        reason: z.enum(['missing', 'recipe_changed', 'rebuild']),
        /** How the image is produced: build, bootstrap (debootstrap + import) or pull. */
        path: z.enum(['build', 'bootstrap', 'pull']).default('build'),
      }),
  }),
  ImageBuilt: defineEvent({
    version: 1,
    description: 'An image is ready: reused (cache hit, no build step) or freshly built (cache miss).',
    schema: () =>
      z.object({
        ...imageRef,
        imageId: z.string().min(1),
        cache: z.enum(['hit', 'miss']),
        durationMs: z.number().nonnegative(),
        path: z.enum(['build', 'bootstrap', 'pull', 'reuse']).default('build'),
      }),
  }),
  ImageBuildFailed: defineEvent({
    version: 1,
    description: 'An image build failed; carries the failing stage and the last output lines.',
    schema: () =>
      z.object({
        ...imageRef,
        stage: z.string(),
        reason: z.string(),
        lastLines: z.array(z.string()).default([]),
        durationMs: z.number().nonnegative(),
      }),
  }),
} as const;
