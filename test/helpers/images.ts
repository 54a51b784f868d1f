import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '../../src/events/envelope.js';
import { assetDir } from '../../src/images/assets.js';
import { DEFAULT_BOOTSTRAP_SOURCE } from '../../src/images/bootstrap.js';
import { detectExtraCaCerts } from '../../src/images/ca-certs.js';
import { ImageService } from '../../src/images/image-service.js';
import type { ImageOutcome, ImageProgress } from '../../src/images/image-service.js';
import { systemClock } from '../../src/kernel/clock.js';
import { createDockerRuntime } from '../../src/runtime/docker/index.js';
import type { ContainerRuntime } from '../../src/runtime/port.js';

export interface RecordedImageEvent {
  readonly stream: string;
  readonly event: NewEvent;
}

export interface ImageHarness {
  readonly runtime: ContainerRuntime;
  readonly service: ImageService;
  readonly events: RecordedImageEvent[];
  readonly progress: ImageProgress[];
}

/** jackin's own image service against the real engine, recording events in memory. */
export function imageHarness(env: NodeJS.ProcessEnv = process.env): ImageHarness {
  const runtime = createDockerRuntime(env);
  const events: RecordedImageEvent[] = [];
  const progress: ImageProgress[] = [];
  const service = new ImageService({
    runtime,
    record: (tag, event) => {
      events.push({ stream: `image-${tag}`, event });
      return Promise.resolve();
    },
    clock: systemClock,
    logger: { info: () => undefined },
    env,
    imagesDir: assetDir('images'),
    workDir: mkdtempSync(join(tmpdir(), 'jackin-images-test-')),
    certs: detectExtraCaCerts({ env }),
    onProgress: (p) => progress.push(p),
  });
  return { runtime, service, events, progress };
}

export interface SharedImages {
  readonly base: ImageOutcome;
  readonly construct: ImageOutcome;
  readonly dind: ImageOutcome;
}

let shared: Promise<SharedImages> | undefined;

/**
 * Build-once: base (offline path: debootstrap + import, never a registry), construct and DinD,
 * through jackin's own code. Later calls in the same worker reuse the promise; later files reuse
 * the images through the recipe hash (and Docker's layer cache), so only the first run is slow.
 */
export function sharedImages(): Promise<SharedImages> {
  shared ??= imageHarness().service.ensureSharedImages({
    base: 'offline',
    bootstrap: DEFAULT_BOOTSTRAP_SOURCE,
  });
  return shared;
}

/** A label unique to one test file, so cleanup never touches another file's (or engineer's) objects. */
export function testRunLabel(): { key: string; value: string } {
  return { key: 'dev.jackin.test-run', value: randomUUID() };
}

/** Removes containers, then networks and volumes, carrying a label (cleanup by label, never by name). */
export function removeByLabel(label: string): void {
  const run = (args: string[]): string => execFileSync('docker', args, { encoding: 'utf8' }).trim();
  const ids = (args: string[]): string[] => run(args).split('\n').filter(Boolean);
  const containers = ids(['ps', '-aq', '--filter', `label=${label}`]);
  if (containers.length > 0) run(['rm', '-f', '-v', ...containers]);
  const networks = ids(['network', 'ls', '-q', '--filter', `label=${label}`]);
  if (networks.length > 0) run(['network', 'rm', ...networks]);
  const volumes = ids(['volume', 'ls', '-q', '--filter', `label=${label}`]);
  if (volumes.length > 0) run(['volume', 'rm', '-f', ...volumes]);
}

export function docker(args: readonly string[], input?: Buffer): string {
  return execFileSync('docker', [...args], {
    encoding: 'utf8',
    ...(input ? { input } : {}),
    maxBuffer: 64 * 1024 * 1024,
  }).trim();
}
