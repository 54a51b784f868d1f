import { z } from 'zod';
import { defineEvent } from '../define.js';

/** A prewarmed sidecar's id; the instance that adopts it takes the same id (ADR 0020). */
const prewarmRef = {
  prewarmId: z.string().min(1),
};

const owner = z.object({ host: z.string(), pid: z.number().int() });

/** Resource limits as Docker applies them (bytes, nano-CPUs, pids); absent = unlimited. */
const limits = z.object({
  memoryBytes: z.number().int().positive().optional(),
  nanoCpus: z.number().int().positive().optional(),
  pidsLimit: z.number().int().positive().optional(),
});

/**
 * Prewarmed DinD sidecars, one stream each (`prewarm-<id>`). The stream's expected version is the
 * adoption lock: whoever appends Adopted or Discarded after Prewarmed owns the sidecar.
 */
export const prewarmEvents = {
  SidecarPrewarmRequested: defineEvent({
    version: 1,
    description:
      'A network, certs volume and DinD sidecar are being created ahead of any instance so the next launch skips the daemon start.',
    schema: () =>
      z.object({
        ...prewarmRef,
        /** The Docker objects it will create (all labelled `dev.jackin.prewarm=<id>`). */
        names: z.object({ sidecar: z.string(), network: z.string(), certs: z.string() }),
        image: z.string(),
        /** How the sidecar gets its powers (privileged or the equivalent profile). */
        mode: z.string(),
        limits,
        /** The prewarming process; while it lives an unfinished prewarm is in progress, not crashed. */
        owner,
      }),
  }),
  SidecarPrewarmed: defineEvent({
    version: 1,
    description: 'The prewarmed sidecar answered over TLS and waits for a launch to adopt it.',
    schema: () =>
      z.object({
        ...prewarmRef,
        containerId: z.string(),
        networkId: z.string(),
        readyMs: z.number().nonnegative(),
      }),
  }),
  SidecarPrewarmAdopted: defineEvent({
    version: 1,
    description:
      'A launch took the prewarmed sidecar (exclusively: appended at the version that recorded it ready).',
    schema: () =>
      z.object({
        ...prewarmRef,
        /** The instance that adopted it (same id as the prewarm). */
        instanceId: z.string().min(1),
        owner,
        /** Limits changed with `docker update` to what the launch resolved; absent when they already matched. */
        updatedLimits: limits.optional(),
      }),
  }),
  SidecarPrewarmDiscarded: defineEvent({
    version: 1,
    description:
      'The prewarmed sidecar is given up (pruned, exiled, failed, interrupted, stopped); its objects are removed by label.',
    schema: () => z.object({ ...prewarmRef, reason: z.string() }),
  }),
} as const;
