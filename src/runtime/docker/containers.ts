import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type {
  ContainerClient,
  ContainerDetails,
  ContainerSpec,
  ContainerSummary,
  ExecResult,
  Labels,
  ResourceLimits,
} from '../port.js';
import { call, callOrMissing, statusOf, toRuntimeError } from './errors.js';

function labelFilter(labels: Labels | undefined): string[] {
  return Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
}

function toCreateOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const security = spec.security ?? {};
  const binds = (spec.mounts ?? []).map((m) => ({
    Type: m.type,
    Source: m.source,
    Target: m.target,
    ReadOnly: m.readOnly ?? false,
  }));
  const options: Docker.ContainerCreateOptions = {
    Image: spec.image,
    Labels: { ...(spec.labels ?? {}) },
    Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
    Tty: spec.tty ?? false,
    HostConfig: {
      Mounts: binds,
      Privileged: security.privileged ?? false,
      CapAdd: [...(security.capAdd ?? [])],
      CapDrop: [...(security.capDrop ?? [])],
      // `systempaths=unconfined` is a docker CLI flag, not an engine option: the API form is
      // empty MaskedPaths/ReadonlyPaths.
      SecurityOpt: (security.securityOpt ?? []).filter((o) => o !== 'systempaths=unconfined'),
      ...(security.securityOpt?.includes('systempaths=unconfined')
        ? { MaskedPaths: [], ReadonlyPaths: [] }
        : {}),
      DeviceCgroupRules: [...(security.deviceCgroupRules ?? [])],
      ...(spec.hostPid ? { PidMode: 'host' } : {}),
      ...(spec.resources?.memoryBytes ? { Memory: spec.resources.memoryBytes } : {}),
      ...(spec.resources?.nanoCpus ? { NanoCpus: spec.resources.nanoCpus } : {}),
      ...(spec.resources?.pidsLimit ? { PidsLimit: spec.resources.pidsLimit } : {}),
      ...(spec.network ? { NetworkMode: spec.network } : {}),
    },
  };
  if (spec.name) options.name = spec.name;
  if (spec.hostname) options.Hostname = spec.hostname;
  if (spec.cmd) options.Cmd = [...spec.cmd];
  if (spec.entrypoint) options.Entrypoint = [...spec.entrypoint];
  if (spec.user) options.User = spec.user;
  if (spec.workdir) options.WorkingDir = spec.workdir;
  if (spec.network && spec.networkAliases) {
    options.NetworkingConfig = { EndpointsConfig: { [spec.network]: { Aliases: [...spec.networkAliases] } } };
  }
  return options;
}

/** Docker multiplexes stdout/stderr on one stream when there is no TTY; split it. */
function demux(docker: Docker, stream: NodeJS.ReadableStream): Promise<{ stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.stdout.push(c));
  err.on('data', (c: Buffer) => chunks.stderr.push(c));
  docker.modem.demuxStream(stream, out, err);
  return new Promise((resolve, reject) => {
    stream.on('end', () =>
      resolve({
        stdout: Buffer.concat(chunks.stdout).toString('utf8'),
        stderr: Buffer.concat(chunks.stderr).toString('utf8'),
      }),
    );
    stream.on('error', reject);
  });
}

export class DockerContainers implements ContainerClient {
  constructor(
    private readonly docker: Docker,
    private readonly endpoint: string,
  ) {}

  async create(spec: ContainerSpec): Promise<string> {
    const container = await call(`create container from ${spec.image}`, this.endpoint, () =>
      this.docker.createContainer(toCreateOptions(spec)),
    );
    return container.id;
  }

  async start(id: string): Promise<void> {
    await call(`start container ${id.slice(0, 12)}`, this.endpoint, () =>
      this.docker.getContainer(id).start(),
    );
  }

  async wait(id: string): Promise<number> {
    const result = (await call(`wait for container ${id.slice(0, 12)}`, this.endpoint, () =>
      this.docker.getContainer(id).wait(),
    )) as { StatusCode: number };
    return result.StatusCode;
  }

  async stop(id: string, options: { readonly timeoutSeconds?: number } = {}): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: options.timeoutSeconds ?? 10 });
    } catch (error) {
      const status = statusOf(error);
      if (status === 304 || status === 404) return;
      throw toRuntimeError(error, `stop container ${id.slice(0, 12)}`, this.endpoint);
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (error) {
      const status = statusOf(error);
      // 404: already gone; 409: removal already in progress.
      if (status === 404 || status === 409) return;
      throw toRuntimeError(error, `remove container ${id.slice(0, 12)}`, this.endpoint);
    }
  }

  async inspect(id: string): Promise<ContainerDetails | undefined> {
    const info = await callOrMissing(`inspect container ${id}`, this.endpoint, () =>
      this.docker.getContainer(id).inspect(),
    );
    if (!info) return undefined;
    const ipAddresses: Record<string, string> = {};
    for (const [name, net] of Object.entries(info.NetworkSettings.Networks ?? {})) {
      if (net.IPAddress) ipAddresses[name] = net.IPAddress;
    }
    return {
      id: info.Id,
      name: info.Name.replace(/^\//, ''),
      image: info.Config.Image,
      imageId: info.Image,
      state: info.State.Status,
      labels: info.Config.Labels ?? {},
      running: info.State.Running,
      exitCode: info.State.Running ? undefined : info.State.ExitCode,
      ipAddresses,
      oomKilled: info.State.OOMKilled,
      startedAt: info.State.StartedAt,
    };
  }

  async list(
    filter: { readonly labels?: Labels; readonly all?: boolean } = {},
  ): Promise<readonly ContainerSummary[]> {
    const label = labelFilter(filter.labels);
    const rows = await call('list containers', this.endpoint, () =>
      this.docker.listContainers({
        all: filter.all ?? true,
        ...(label.length > 0 ? { filters: { label } } : {}),
      }),
    );
    return rows.map((r) => ({
      id: r.Id,
      name: (r.Names[0] ?? '').replace(/^\//, ''),
      image: r.Image,
      imageId: r.ImageID,
      state: r.State,
      labels: r.Labels ?? {},
    }));
  }

  async logs(id: string): Promise<string> {
    const buffer = await call(`logs of container ${id.slice(0, 12)}`, this.endpoint, () =>
      this.docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false }),
    );
    // Non-TTY logs are multiplexed: 8-byte frame headers before each chunk.
    const parts: Buffer[] = [];
    let offset = 0;
    while (offset + 8 <= buffer.length) {
      const size = buffer.readUInt32BE(offset + 4);
      parts.push(buffer.subarray(offset + 8, offset + 8 + size));
      offset += 8 + size;
    }
    return Buffer.concat(parts).toString('utf8');
  }

  async exec(
    id: string,
    cmd: readonly string[],
    options: { readonly user?: string } = {},
  ): Promise<ExecResult> {
    const container = this.docker.getContainer(id);
    const action = `exec in container ${id.slice(0, 12)}`;
    const exec = await call(action, this.endpoint, () =>
      container.exec({
        Cmd: [...cmd],
        AttachStdout: true,
        AttachStderr: true,
        ...(options.user ? { User: options.user } : {}),
      }),
    );
    const stream = await call(action, this.endpoint, () => exec.start({ hijack: true, stdin: false }));
    const output = await demux(this.docker, stream);
    const info = await call(action, this.endpoint, () => exec.inspect());
    return { exitCode: info.ExitCode ?? -1, ...output };
  }

  async update(id: string, resources: ResourceLimits): Promise<void> {
    await call(`update container ${id.slice(0, 12)}`, this.endpoint, () =>
      this.docker.getContainer(id).update({
        // Swap as at create time: twice the memory (the engine's default when only --memory is set).
        ...(resources.memoryBytes
          ? { Memory: resources.memoryBytes, MemorySwap: resources.memoryBytes * 2 }
          : {}),
        ...(resources.nanoCpus ? { NanoCpus: resources.nanoCpus } : {}),
        ...(resources.pidsLimit ? { PidsLimit: resources.pidsLimit } : {}),
      }),
    );
  }
}
