import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BuildImageRequest,
  BuildImageResult,
  ContainerRuntime,
  ImageSummary,
  ImportImageRequest,
} from '../../src/runtime/port.js';
import { ImageBuildStepError } from '../../src/runtime/errors.js';

/** Labels from the LABEL instructions of the context's Dockerfile, as the engine would apply them. */
function dockerfileLabels(request: BuildImageRequest): Record<string, string> {
  const text = readFileSync(join(request.contextDir, request.dockerfile ?? 'Dockerfile'), 'utf8');
  const labels: Record<string, string> = {};
  for (const m of text.matchAll(/([a-z][\w.-]*)=("(?:[^"\\]|\\.)*")/g)) {
    if (m[1]?.startsWith('dev.jackin.')) labels[m[1]] = JSON.parse(m[2] ?? '""') as string;
  }
  return labels;
}

/**
 * An in-memory ContainerRuntime for the image logic: images only (containers, networks and volumes
 * are empty). Implements jackin's own port, so it needs no casts. `failBuilds` makes builds fail.
 */
export class FakeRuntime implements ContainerRuntime {
  readonly store = new Map<string, ImageSummary>();
  readonly builds: BuildImageRequest[] = [];
  failBuilds: string | undefined;
  /** References a pull succeeds for (default: none, as on an air-gapped host). */
  readonly registry = new Set<string>();
  private counter = 0;

  readonly engine = {
    info: () =>
      Promise.resolve({
        id: 'fake',
        name: 'fake',
        serverVersion: '0',
        apiVersion: '1.41',
        os: 'fake',
        architecture: 'x86_64',
        kernelVersion: '0',
        cgroupVersion: '1',
        cgroupDriver: 'cgroupfs',
        endpoint: 'fake://',
      }),
  };

  readonly images = {
    inspect: (reference: string): Promise<ImageSummary | undefined> =>
      Promise.resolve(this.store.get(reference)),
    list: (
      filter: { readonly labels?: Readonly<Record<string, string>> } = {},
    ): Promise<readonly ImageSummary[]> =>
      Promise.resolve(
        [...new Set(this.store.values())].filter((image) =>
          Object.entries(filter.labels ?? {}).every(([k, v]) => image.labels[k] === v),
        ),
      ),
    build: (request: BuildImageRequest): Promise<BuildImageResult> => {
      this.builds.push(request);
      request.onProgress?.({ kind: 'step', step: 1, total: 1, instruction: 'RUN build' });
      if (this.failBuilds) {
        return Promise.reject(
          new ImageBuildStepError(request.tag, 'step 1/1: RUN build', this.failBuilds, ['boom']),
        );
      }
      return Promise.resolve({
        imageId: this.add(request.tag, { ...dockerfileLabels(request), ...request.labels }),
        tail: [],
      });
    },
    import: (request: ImportImageRequest): Promise<string> => {
      request.rootfs.resume();
      const labels: Record<string, string> = {};
      for (const change of request.changes ?? []) {
        const m = /^LABEL ([\w.-]+)=(".*")$/.exec(change);
        if (m?.[1] && m[2]) labels[m[1]] = JSON.parse(m[2]) as string;
      }
      return Promise.resolve(this.add(`${request.repository}:${request.tag}`, labels));
    },
    pull: (reference: string): Promise<void> => {
      if (!this.registry.has(reference)) return Promise.reject(new Error(`no registry for ${reference}`));
      this.add(reference, {});
      return Promise.resolve();
    },
    remove: (reference: string): Promise<void> => {
      this.store.delete(reference);
      return Promise.resolve();
    },
  };

  readonly containers = {
    create: () => Promise.reject(new Error('fake: no containers')),
    start: () => Promise.resolve(),
    wait: () => Promise.resolve(0),
    stop: () => Promise.resolve(),
    remove: () => Promise.resolve(),
    inspect: () => Promise.resolve(undefined),
    list: () => Promise.resolve([]),
    logs: () => Promise.resolve(''),
    exec: () => Promise.resolve({ exitCode: 0, stdout: '', stderr: '' }),
    update: () => Promise.resolve(),
  };

  readonly networks = {
    create: () => Promise.resolve('n'),
    remove: () => Promise.resolve(),
    list: () => Promise.resolve([]),
  };
  readonly volumes = {
    create: () => Promise.resolve('v'),
    remove: () => Promise.resolve(),
    list: () => Promise.resolve([]),
  };

  /** Adds an image under a tag; labels come from the build or from the test. */
  add(tag: string, labels: Readonly<Record<string, string>>): string {
    const id = `sha256:${String(++this.counter).padStart(64, '0')}`;
    this.store.set(tag, { id, tags: [tag], labels, sizeBytes: 1, createdAt: new Date(0).toISOString() });
    return id;
  }
}
