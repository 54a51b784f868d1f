import { z } from 'zod';
import { limitsSchema } from '../config/shared-schema.js';

/** The manifest version this jackin writes; older stamps load unless they use later features. */
export const MANIFEST_VERSION = 'v1alpha7';
export const MANIFEST_VERSIONS = [
  'v1alpha1',
  'v1alpha2',
  'v1alpha3',
  'v1alpha4',
  'v1alpha5',
  'v1alpha6',
  MANIFEST_VERSION,
] as const;
export const MANIFEST_FILE = 'jackin.role.toml';
export const LEGACY_MANIFEST_FILE = 'jackin.agent.toml';

export const PROVIDER_IDS = ['anthropic', 'openai', 'zai', 'minimax', 'kimi'] as const;

const providers = z.partialRecord(z.enum(PROVIDER_IDS), z.strictObject({ model: z.string().min(1) }));

export const envDeclarationSchema = z.strictObject({
  default: z.string().optional(),
  interactive: z.boolean().default(false),
  skippable: z.boolean().default(false),
  prompt: z.string().optional(),
  options: z.array(z.string()).default([]),
  depends_on: z.array(z.string()).default([]),
});
export type EnvDeclaration = z.infer<typeof envDeclarationSchema>;

/**
 * `jackin.role.toml`, strict: unknown keys are errors. It covers the format written for jackin'
 * (v1alpha1–v1alpha6) so existing roles load unchanged, plus `[limits]` (v1alpha7).
 */
export const manifestSchema = z.strictObject({
  version: z.string().optional(),
  dockerfile: z.string().min(1).default('Dockerfile'),
  published_image: z.string().min(1).optional(),
  agents: z
    .array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'agent names are lowercase slugs'))
    .min(1, 'must list at least one agent')
    .optional(),
  identity: z.strictObject({ name: z.string().min(1).optional() }).optional(),
  claude: z
    .strictObject({
      model: z.string().optional(),
      plugins: z
        .array(z.string().regex(/^[^@\s]+@[^@\s]+$/, 'plugins are written plugin@marketplace'))
        .optional(),
      marketplaces: z
        .array(z.strictObject({ source: z.string().min(1), sparse: z.array(z.string()).optional() }))
        .optional(),
      providers: providers.optional(),
    })
    .optional(),
  codex: z.strictObject({ model: z.string().optional(), providers: providers.optional() }).optional(),
  amp: z.strictObject({}).optional(),
  kimi: z.strictObject({ model: z.string().optional() }).optional(),
  opencode: z.strictObject({ model: z.string().optional(), providers: providers.optional() }).optional(),
  grok: z.strictObject({ model: z.string().optional() }).optional(),
  hooks: z
    .strictObject({
      setup_once: z.string().min(1).optional(),
      source: z.string().min(1).optional(),
      preflight: z.string().min(1).optional(),
    })
    .optional(),
  env: z.record(z.string(), envDeclarationSchema).optional(),
  docker: z
    .strictObject({
      min_profile: z.enum(['locked', 'hardened', 'standard', 'compat']).optional(),
      dind: z.enum(['none', 'rootless', 'privileged']).optional(),
      allowed_hosts: z.array(z.string()).optional(),
      capabilities_add: z.array(z.string()).optional(),
    })
    .optional(),
  limits: limitsSchema.optional(),
  task: z
    .strictObject({
      push: z
        .boolean()
        .optional()
        .describe(
          'fleet tasks of this role that end with commits push jackin/task/<id> to the workspace remote and open a draft PR for an issue task',
        ),
    })
    .optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Agent tables a manifest can carry, in the order jackin' documents them. */
export const MANIFEST_AGENT_TABLES = ['claude', 'codex', 'amp', 'kimi', 'opencode', 'grok'] as const;
