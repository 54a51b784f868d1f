import { z } from 'zod';
import { defineEvent } from '../define.js';

const linkRef = {
  url: z.string().url(),
  repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
  number: z.number().int().positive(),
  kind: z.enum(['issue', 'pull']),
};

/** GitHub issues and pull requests tracked on streams `link-<owner>/<repo>#<n>`. */
export const linkEvents = {
  LinkAdded: defineEvent({
    version: 1,
    description: 'A task or instance got associated with a GitHub issue or pull request.',
    schema: () =>
      z.object({
        ...linkRef,
        via: z.enum(['import', 'tag', 'result']),
        taskId: z.string().optional(),
        instanceId: z.string().optional(),
      }),
  }),
  LinkStateChanged: defineEvent({
    version: 1,
    description: 'The poller saw a tracked issue or pull request change (state, merged, checks, title).',
    schema: () =>
      z.object({
        ...linkRef,
        state: z.enum(['open', 'closed', 'merged']),
        checks: z.enum(['success', 'failure', 'pending']).optional(),
        title: z.string().optional(),
        previousState: z.string().optional(),
      }),
  }),
} as const;
