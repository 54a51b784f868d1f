import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type Docker from 'dockerode';
import { ImageBuildStepError } from '../errors.js';
import type {
  BuildImageRequest,
  BuildImageResult,
  ImageClient,
  ImageSummary,
  ImportImageRequest,
  Labels,
} from '../port.js';
import { call, callOrMissing, engineMessage } from './errors.js';

const TAIL_LINES = 50;

interface BuildMessage {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

function labelFilter(labels: Labels | undefined): string[] {
  return Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
}

/** Every file under dir, relative, for the tar context (symlinks are sent as links). */
function contextEntries(dir: string): string[] {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

export class DockerImages implements ImageClient {
  constructor(
    private readonly docker: Docker,
    private readonly endpoint: string,
  ) {}

  async inspect(reference: string): Promise<ImageSummary | undefined> {
    const info = await callOrMissing(`inspect image ${reference}`, this.endpoint, () =>
      this.docker.getImage(reference).inspect(),
    );
    if (!info) return undefined;
    return {
      id: info.Id,
      tags: info.RepoTags ?? [],
      labels: info.Config?.Labels ?? {},
      sizeBytes: info.Size,
      createdAt: info.Created,
      layerCount: info.RootFS?.Layers?.length ?? 0,
    };
  }

  async list(filter: { readonly labels?: Labels } = {}): Promise<readonly ImageSummary[]> {
    const label = labelFilter(filter.labels);
    const rows = await call('list images', this.endpoint, () =>
      this.docker.listImages(label.length > 0 ? { filters: { label } } : {}),
    );
    return rows.map((r) => ({
      id: r.Id,
      tags: (r.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
      labels: r.Labels ?? {},
      sizeBytes: r.Size,
      createdAt: new Date(r.Created * 1000).toISOString(),
    }));
  }

  async build(request: BuildImageRequest): Promise<BuildImageResult> {
    const tail: string[] = [];
    let step = 'context';
    let failure: string | undefined;
    const push = (line: string): void => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      request.onProgress?.({ kind: 'output', line });
    };
    const stream = await call(`build ${request.tag}`, this.endpoint, () =>
      this.docker.buildImage(
        { context: request.contextDir, src: contextEntries(request.contextDir) },
        {
          t: request.tag,
          dockerfile: request.dockerfile ?? 'Dockerfile',
          labels: request.labels ?? {},
          buildargs: request.buildArgs ?? {},
          nocache: request.noCache ?? false,
          // Intermediate containers are removed even when a step fails (no dangling containers).
          rm: true,
          forcerm: true,
          pull: false,
        },
      ),
    );
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (error: Error | null) => (error ? reject(error) : resolve()),
        (message: BuildMessage) => {
          if (message.error || message.errorDetail) {
            failure = message.errorDetail?.message ?? message.error ?? 'unknown error';
            push(failure);
            return;
          }
          const text = message.stream ?? message.status;
          if (!text) return;
          for (const raw of text.split('\n')) {
            const line = raw.trimEnd();
            if (!line) continue;
            const match = /^Step (\d+)\/(\d+) : (.*)$/.exec(line);
            if (match) {
              step = `step ${match[1]}/${match[2]}: ${match[3] ?? ''}`.slice(0, 200);
              request.onProgress?.({
                kind: 'step',
                step: Number(match[1]),
                total: Number(match[2]),
                instruction: match[3] ?? '',
              });
            }
            push(line);
          }
        },
      );
    }).catch((error: unknown) => {
      failure ??= engineMessage(error);
    });
    if (failure !== undefined) throw new ImageBuildStepError(request.tag, step, failure, [...tail]);
    const image = await this.inspect(request.tag);
    if (!image) throw new ImageBuildStepError(request.tag, step, 'the engine reported no image', [...tail]);
    return { imageId: image.id, tail: [...tail] };
  }

  async import(request: ImportImageRequest): Promise<string> {
    const options = { repo: request.repository, tag: request.tag, changes: [...(request.changes ?? [])] };
    const stream = await call(`import ${request.repository}:${request.tag}`, this.endpoint, () =>
      this.docker.importImage(request.rootfs, options),
    );
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()));
    }).catch((error: unknown) => {
      throw new ImageBuildStepError(
        `${request.repository}:${request.tag}`,
        'docker import',
        engineMessage(error),
        [],
      );
    });
    const image = await this.inspect(`${request.repository}:${request.tag}`);
    if (!image)
      throw new ImageBuildStepError(
        `${request.repository}:${request.tag}`,
        'docker import',
        'no image after import',
        [],
      );
    return image.id;
  }

  async pull(reference: string): Promise<void> {
    const stream = await call(`pull ${reference}`, this.endpoint, () => this.docker.pull(reference));
    await call(
      `pull ${reference}`,
      this.endpoint,
      () =>
        new Promise<void>((resolve, reject) => {
          this.docker.modem.followProgress(stream, (error: Error | null) =>
            error ? reject(error) : resolve(),
          );
        }),
    );
  }

  async remove(reference: string, options: { readonly force?: boolean } = {}): Promise<void> {
    await callOrMissing(`remove image ${reference}`, this.endpoint, () =>
      this.docker.getImage(reference).remove({ force: options.force ?? false }),
    );
  }
}
