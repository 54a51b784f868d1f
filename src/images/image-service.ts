import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLock } from '../config/file-lock.js';
import { JackinError } from '../kernel/errors.js';
import { LABEL } from '../runtime/labels.js';
import type { ImageKind } from '../runtime/labels.js';
import type { BuildProgress, ImageSummary } from '../runtime/port.js';
import { ImageBuildStepError } from '../runtime/errors.js';
import { BOOTSTRAP_REMEDY, BootstrapError, bootstrapBaseImage, bootstrapBlocker } from './bootstrap.js';
import type { BootstrapSource } from './bootstrap.js';
import type { ImageOutcome, ImageServiceDeps, SharedOptions } from './types.js';
import { appendLabels, createContext, copyInto, proxyBuildArgs, writeCaCerts } from './context.js';
import { derivedRecipe, prepareDerivedContext } from './derived-image.js';
import type { DerivedRequest } from './derived-image.js';
import { RECIPE_VERSION, recipeHash } from './recipe.js';
import { TAGS, buildRequest, imageLabels, sharedRecipe } from './shared-images.js';

export type {
  BaseSource,
  ImageEventSink,
  ImageLogger,
  ImageOutcome,
  ImageProgress,
  ImageServiceDeps,
  SharedOptions,
} from './types.js';

/** Builds can take minutes: a lock is stale only when its owner died (or after an hour). */
const BUILD_LOCK = { timeoutMs: 60 * 60_000, staleMs: 60 * 60_000 } as const;

export function defaultLockDir(): string {
  return join(tmpdir(), `jackin-image-locks-${process.getuid?.() ?? 'user'}`);
}

interface Plan {
  readonly image: ImageKind;
  readonly tag: string;
  readonly hash: string;
  readonly role?: string;
  readonly path: 'build' | 'bootstrap' | 'pull';
  /** Whether an existing image satisfies the plan (default: its recipe-hash label matches). */
  readonly satisfiedBy?: (existing: ImageSummary) => boolean;
  produce(onProgress: (p: BuildProgress) => void): Promise<string>;
}

const REDACT_URL_CREDENTIALS = /(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g;

/** Builds what is missing, reuses what matches its recipe, and records every decision as events. */
export class ImageService {
  constructor(private readonly deps: ImageServiceDeps) {}

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  /** Reuse when the tag exists with the same recipe hash, else produce it (recording events). */
  /** One build per tag at a time across processes; whoever waits re-checks and usually reuses. */
  private async ensure(plan: Plan, rebuild: boolean): Promise<ImageOutcome> {
    const started = this.now();
    const lockName = plan.tag.replace(/[^A-Za-z0-9_.-]+/g, '_');
    return withLock(
      join(this.deps.lockDir ?? defaultLockDir(), lockName),
      () => this.ensureLocked(plan, rebuild, started),
      BUILD_LOCK,
    );
  }

  private async ensureLocked(plan: Plan, rebuild: boolean, started: number): Promise<ImageOutcome> {
    const elapsed = (): number => this.now() - started;
    const report = this.deps.onProgress ?? (() => undefined);
    const existing = await this.deps.runtime.images.inspect(plan.tag);
    const role = plan.role === undefined ? {} : { role: plan.role };
    const ref = { tag: plan.tag, image: plan.image, recipeHash: plan.hash, ...role };
    const satisfied =
      plan.satisfiedBy ?? ((image: ImageSummary) => image.labels[LABEL.recipeHash] === plan.hash);
    if (existing && !rebuild && satisfied(existing)) {
      const durationMs = elapsed();
      await this.deps.record(plan.tag, {
        type: 'ImageBuilt',
        data: { ...ref, imageId: existing.id, cache: 'hit', durationMs, path: 'reuse' },
      });
      report({ phase: 'reuse', image: plan.image, tag: plan.tag, elapsedMs: durationMs });
      return {
        image: plan.image,
        tag: plan.tag,
        imageId: existing.id,
        recipeHash: plan.hash,
        cache: 'hit',
        path: 'reuse',
        durationMs,
      };
    }
    const reason = !existing ? 'missing' : rebuild ? 'rebuild' : 'recipe_changed';
    await this.deps.record(plan.tag, {
      type: 'ImageBuildRequested',
      data: { ...ref, reason, path: plan.path },
    });
    report({ phase: 'start', image: plan.image, tag: plan.tag, elapsedMs: 0, detail: reason });
    const output: string[] = [];
    try {
      const imageId = await plan.produce((progress) => {
        if (progress.kind === 'output') output.push(progress.line);
        report({ phase: 'progress', image: plan.image, tag: plan.tag, elapsedMs: elapsed(), progress });
      });
      const durationMs = elapsed();
      this.deps.logger.info({ tag: plan.tag, image: plan.image, durationMs, output }, 'image built');
      await this.deps.record(plan.tag, {
        type: 'ImageBuilt',
        data: { ...ref, imageId, cache: 'miss', durationMs, path: plan.path },
      });
      report({ phase: 'done', image: plan.image, tag: plan.tag, elapsedMs: durationMs });
      return {
        image: plan.image,
        tag: plan.tag,
        imageId,
        recipeHash: plan.hash,
        cache: 'miss',
        path: plan.path,
        durationMs,
      };
    } catch (error) {
      const failure = describeFailure(error, plan.path);
      const lastLines = (failure.tail.length > 0 ? failure.tail : output)
        .slice(-20)
        .map((l) => l.replace(REDACT_URL_CREDENTIALS, '$1[redacted]@'));
      this.deps.logger.info(
        { tag: plan.tag, image: plan.image, stage: failure.stage, output },
        'image build failed',
      );
      await this.deps.record(plan.tag, {
        type: 'ImageBuildFailed',
        data: {
          ...ref,
          stage: failure.stage,
          reason: failure.reason.replace(REDACT_URL_CREDENTIALS, '$1[redacted]@'),
          lastLines,
          durationMs: elapsed(),
        },
      });
      throw error;
    }
  }

  /** The offline Debian base: debootstrap + docker import, no registry involved. */
  async bootstrapBase(source: BootstrapSource, rebuild = false): Promise<ImageOutcome> {
    const tag = TAGS.offlineBase(source.suite);
    const hash = recipeHash({ recipeVersion: RECIPE_VERSION, image: 'base', suite: source.suite });
    const [repository, version] = tag.split(':') as [string, string];
    return this.ensure(
      {
        image: 'base',
        tag,
        hash,
        path: 'bootstrap',
        produce: (onProgress) =>
          bootstrapBaseImage({
            runtime: this.deps.runtime,
            source,
            repository,
            tag: version,
            labels: imageLabels('base', hash, { 'dev.jackin.debian.mirror': source.mirror }),
            workDir: this.deps.workDir,
            onLine: (line) => onProgress({ kind: 'output', line }),
          }),
      },
      rebuild,
    );
  }

  /** Picks the Debian base: a local offline base, a local or pullable registry base, else bootstrap. */
  async ensureBase(options: SharedOptions): Promise<ImageOutcome> {
    const { suite } = options.bootstrap;
    const started = this.now();
    const offline = TAGS.offlineBase(suite);
    const registry = TAGS.registryBase(suite);
    if (options.base === 'offline') return this.bootstrapBase(options.bootstrap, options.rebuild ?? false);
    // --rebuild targets the construct and DinD images; re-bootstrapping is `images bootstrap --rebuild`.
    if (options.base === 'auto' && (await this.deps.runtime.images.inspect(offline))) {
      return this.bootstrapBase(options.bootstrap);
    }
    const local = await this.deps.runtime.images.inspect(registry);
    if (local) return this.upstream(registry, local, 'registry', started);
    try {
      await this.deps.runtime.images.pull(registry);
      const pulled = await this.deps.runtime.images.inspect(registry);
      if (pulled) return this.upstream(registry, pulled, 'pull', started);
    } catch (error) {
      if (options.base === 'registry') {
        throw new JackinError(
          'image_build_failed',
          `cannot pull ${registry}: ${error instanceof Error ? error.message : String(error)}`,
          {
            hint: `no registry is reachable; use the offline path: ${BOOTSTRAP_REMEDY}`,
          },
        );
      }
    }
    const blocker = (this.deps.bootstrapBlocker ?? bootstrapBlocker)();
    if (blocker) {
      throw new JackinError(
        'image_build_failed',
        `no Debian base image: ${registry} cannot be pulled and ${blocker}`,
        { hint: BOOTSTRAP_REMEDY },
      );
    }
    return this.bootstrapBase(options.bootstrap);
  }

  private upstream(
    tag: string,
    image: ImageSummary,
    path: 'registry' | 'pull',
    started: number,
  ): ImageOutcome {
    return {
      image: 'base',
      tag,
      imageId: image.id,
      recipeHash: image.id,
      cache: 'hit',
      path,
      durationMs: this.now() - started,
    };
  }

  /** The construct or DinD image, built FROM the base with the host's extra CAs installed. */
  async ensureShared(
    image: 'construct' | 'dind',
    base: ImageOutcome,
    rebuild = false,
  ): Promise<ImageOutcome> {
    const recipe = sharedRecipe(
      image,
      this.deps.imagesDir,
      { tag: base.tag, id: base.imageId },
      this.deps.certs,
    );
    return this.ensure(
      {
        image,
        tag: recipe.tag,
        hash: recipe.hash,
        path: 'build',
        produce: async (onProgress) => {
          const context = createContext(image, this.deps.workDir);
          try {
            copyInto(context, recipe.assetDir);
            writeCaCerts(context, this.deps.certs, 'ca-certificates');
            appendLabels(context, 'Dockerfile', recipe.labels);
            const request = buildRequest(recipe, context.dir, proxyBuildArgs(this.deps.env), rebuild);
            return (await this.deps.runtime.images.build({ ...request, onProgress })).imageId;
          } finally {
            context.dispose();
          }
        },
      },
      rebuild,
    );
  }

  /** Base, construct and DinD: what `jackin images build` and a launch need before any role. */
  async ensureSharedImages(
    options: SharedOptions,
  ): Promise<{ base: ImageOutcome; construct: ImageOutcome; dind: ImageOutcome }> {
    const base = await this.ensureBase(options);
    const rebuild = options.rebuild ?? false;
    const dindSource = options.dind ?? { source: 'build' };
    // Independent builds run side by side; both are awaited before any failure is reported.
    const [construct, dind] = await Promise.allSettled([
      this.ensureShared('construct', base, rebuild),
      dindSource.source === 'registry'
        ? this.pullDind(dindSource.reference, rebuild)
        : this.ensureShared('dind', base, rebuild),
    ]);
    if (construct.status === 'rejected') throw construct.reason;
    if (dind.status === 'rejected') throw dind.reason;
    return { base, construct: construct.value, dind: dind.value };
  }

  /** A registry DinD image (e.g. docker:dind): pulled once, then reused while present. */
  private pullDind(reference: string, rebuild: boolean): Promise<ImageOutcome> {
    return this.ensure(
      {
        image: 'dind',
        tag: reference,
        hash: recipeHash({ recipeVersion: RECIPE_VERSION, image: 'dind', reference }),
        path: 'pull',
        satisfiedBy: () => true,
        produce: async () => {
          await this.deps.runtime.images.pull(reference);
          const pulled = await this.deps.runtime.images.inspect(reference);
          if (!pulled) throw new JackinError('image_build_failed', `${reference} is missing after the pull`);
          return pulled.id;
        },
      },
      rebuild,
    );
  }

  /** The derived image of one role: role Dockerfile + jackin layer, reused when the recipe matches. */
  async ensureDerived(
    request: DerivedRequest,
    construct: ImageOutcome,
    rebuild = false,
  ): Promise<ImageOutcome> {
    const layerDir = `${this.deps.imagesDir}/jackin-layer`;
    const recipe = derivedRecipe(request, layerDir, { id: construct.imageId }, this.deps.certs);
    return this.ensure(
      {
        image: 'derived',
        tag: recipe.tag,
        hash: recipe.hash,
        role: recipe.roleKey,
        path: 'build',
        produce: async (onProgress) => {
          const context = createContext(`role-${recipe.roleKey}`, this.deps.workDir);
          try {
            const dockerfile = prepareDerivedContext(context, recipe, layerDir, this.deps.certs);
            const result = await this.deps.runtime.images.build({
              contextDir: context.dir,
              dockerfile,
              tag: recipe.tag,
              buildArgs: { ...recipe.buildArgs, ...proxyBuildArgs(this.deps.env) },
              noCache: rebuild,
              onProgress,
            });
            return result.imageId;
          } finally {
            context.dispose();
          }
        },
      },
      rebuild,
    );
  }
}

function describeFailure(
  error: unknown,
  path: string,
): { stage: string; reason: string; tail: readonly string[] } {
  if (error instanceof ImageBuildStepError)
    return { stage: error.step, reason: error.message, tail: error.tail };
  if (error instanceof BootstrapError) return { stage: error.stage, reason: error.message, tail: error.tail };
  return { stage: path, reason: error instanceof Error ? error.message : String(error), tail: [] };
}
