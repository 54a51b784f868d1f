import type { Labels } from './port.js';

/**
 * Every Docker object jackin creates carries these labels (DESIGN.md, "The isolation core").
 * Discovery, reconciliation and garbage collection go by label, never by name pattern.
 */
export const LABEL = {
  managed: 'dev.jackin.managed',
  kind: 'dev.jackin.kind',
  instance: 'dev.jackin.instance',
  role: 'dev.jackin.role',
  workspace: 'dev.jackin.workspace',
  /**
   * The jackin home (event log) that created and owns the object: its log id (ADR 0023). On every
   * network, volume and container of an instance or prewarm; not on images, which homes share.
   */
  home: 'dev.jackin.home',
  /** On a prewarmed sidecar's objects (network, certs volume, sidecar): the prewarm id. */
  prewarm: 'dev.jackin.prewarm',
  /** For kind=image: which image it is (base, construct, dind, derived). */
  image: 'dev.jackin.image',
  recipeHash: 'dev.jackin.recipe.hash',
  recipeVersion: 'dev.jackin.recipe.version',
  constructVersion: 'dev.jackin.construct.version',
  hostUid: 'dev.jackin.host.uid',
  hostGid: 'dev.jackin.host.gid',
  runtimes: 'dev.jackin.runtimes',
  /** Node.js installed from npm's `node` package for runtimes that need a newer one than the construct's. */
  nodeVersion: 'dev.jackin.node.version',
} as const;

export type ObjectKind = 'role' | 'dind' | 'network' | 'certs' | 'image' | 'prewarm' | 'probe' | 'build';

export type ImageKind = 'base' | 'construct' | 'dind' | 'derived';

/** Labels for a jackin-managed object of a kind, plus extra `dev.jackin.*` facts. */
export function managedLabels(
  kind: ObjectKind,
  extra: Readonly<Record<string, string | undefined>> = {},
): Labels {
  const labels: Record<string, string> = { [LABEL.managed]: 'true', [LABEL.kind]: kind };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) labels[key] = value;
  return labels;
}

/** The filter that finds every jackin-managed object (optionally of one kind). */
export function managedFilter(kind?: ObjectKind): Labels {
  return kind ? { [LABEL.managed]: 'true', [LABEL.kind]: kind } : { [LABEL.managed]: 'true' };
}

export function isManaged(labels: Labels): boolean {
  return labels[LABEL.managed] === 'true';
}

/**
 * Whose an instance or prewarm object is, seen from the home with log id `home` (ADR 0023): `own`
 * (labelled with this home), `foreign` (labelled with another home: never touched), or `unlabelled`
 * (made by a jackin before home labels: this home's only when its instance id is in this log).
 */
export type HomeScope = 'own' | 'foreign' | 'unlabelled';

export function homeScope(labels: Labels, home: string): HomeScope {
  const owner = labels[LABEL.home];
  if (owner === undefined || owner === '') return 'unlabelled';
  return owner === home ? 'own' : 'foreign';
}
