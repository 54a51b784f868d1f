import type { NewEvent } from '../events/envelope.js';
import type { Clock } from '../kernel/clock.js';
import type { ImageKind } from '../runtime/labels.js';
import type { BuildProgress, ContainerRuntime } from '../runtime/port.js';
import type { BootstrapSource } from './bootstrap.js';
import type { ExtraCaCert } from './ca-certs.js';

/** Where image events go (the CLI binds it to the event store, stream `image-<tag>`). */
export type ImageEventSink = (tag: string, event: NewEvent) => Promise<void>;

export interface ImageLogger {
  info(obj: object, msg: string): void;
}

/** What a build reports while it runs, for a progress display. */
export type ImageProgress =
  | {
      readonly phase: 'reuse' | 'start' | 'done';
      readonly image: ImageKind;
      readonly tag: string;
      readonly elapsedMs: number;
      readonly detail?: string;
    }
  | {
      readonly phase: 'progress';
      readonly image: ImageKind;
      readonly tag: string;
      readonly elapsedMs: number;
      readonly progress: BuildProgress;
    };

export interface ImageOutcome {
  readonly image: ImageKind;
  readonly tag: string;
  readonly imageId: string;
  readonly recipeHash: string;
  readonly cache: 'hit' | 'miss';
  /** How the image came to be: reuse, build, bootstrap, pull, or `registry` (a local upstream base). */
  readonly path: 'reuse' | 'build' | 'bootstrap' | 'pull' | 'registry';
  readonly durationMs: number;
}

/** Where the Debian base comes from: whatever works, only the registry, or only debootstrap. */
export type BaseSource = 'auto' | 'registry' | 'offline';

export interface ImageServiceDeps {
  readonly runtime: ContainerRuntime;
  readonly record: ImageEventSink;
  readonly clock: Clock;
  readonly logger: ImageLogger;
  readonly env: NodeJS.ProcessEnv;
  readonly imagesDir: string;
  /** Scratch space for bootstrap root filesystems and build contexts. */
  readonly workDir: string;
  readonly certs: readonly ExtraCaCert[];
  readonly onProgress?: (progress: ImageProgress) => void;
  /** Why debootstrap cannot run here (default: platform, root and binary checks). */
  readonly bootstrapBlocker?: () => string | undefined;
  /**
   * Where per-tag build locks live. Shared by every jackin process on the host (whatever its
   * JACKIN_HOME), so two launches never build the same image twice at once.
   */
  readonly lockDir?: string;
}

export interface SharedOptions {
  readonly base: BaseSource;
  readonly bootstrap: BootstrapSource;
  readonly rebuild?: boolean;
  /**
   * Where the DinD image comes from: jackin's own build (default: offline, host CAs installed) or
   * a registry image with docker:dind behaviour (`docker:dind`), when the operator allows pulls.
   */
  readonly dind?: { readonly source: 'build' } | { readonly source: 'registry'; readonly reference: string };
}
