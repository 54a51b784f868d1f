import type Docker from 'dockerode';
import type { Labels, NetworkClient, NetworkSummary, VolumeClient, VolumeSummary } from '../port.js';
import { call, statusOf, toRuntimeError } from './errors.js';

function labelFilter(labels: Labels | undefined): { label: string[] } | undefined {
  const label = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return label.length > 0 ? { label } : undefined;
}

export class DockerNetworks implements NetworkClient {
  constructor(
    private readonly docker: Docker,
    private readonly endpoint: string,
  ) {}

  async create(request: {
    readonly name: string;
    readonly labels?: Labels;
    readonly internal?: boolean;
  }): Promise<string> {
    const network = await call(`create network ${request.name}`, this.endpoint, () =>
      this.docker.createNetwork({
        Name: request.name,
        Driver: 'bridge',
        Internal: request.internal ?? false,
        Labels: { ...(request.labels ?? {}) },
        CheckDuplicate: true,
      }),
    );
    return network.id;
  }

  async remove(idOrName: string): Promise<void> {
    try {
      await this.docker.getNetwork(idOrName).remove();
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw toRuntimeError(error, `remove network ${idOrName}`, this.endpoint);
    }
  }

  async list(filter: { readonly labels?: Labels } = {}): Promise<readonly NetworkSummary[]> {
    const filters = labelFilter(filter.labels);
    const rows = await call('list networks', this.endpoint, () =>
      this.docker.listNetworks(filters ? { filters } : {}),
    );
    return rows.map((r) => ({ id: r.Id, name: r.Name, labels: r.Labels ?? {} }));
  }
}

export class DockerVolumes implements VolumeClient {
  constructor(
    private readonly docker: Docker,
    private readonly endpoint: string,
  ) {}

  async create(request: { readonly name: string; readonly labels?: Labels }): Promise<string> {
    const volume = (await call(`create volume ${request.name}`, this.endpoint, () =>
      this.docker.createVolume({ Name: request.name, Labels: { ...(request.labels ?? {}) } }),
    )) as unknown as { name?: string; Name?: string };
    return volume.Name ?? volume.name ?? request.name;
  }

  async remove(name: string): Promise<void> {
    try {
      await this.docker.getVolume(name).remove();
    } catch (error) {
      if (statusOf(error) === 404) return;
      throw toRuntimeError(error, `remove volume ${name}`, this.endpoint);
    }
  }

  async list(filter: { readonly labels?: Labels } = {}): Promise<readonly VolumeSummary[]> {
    const filters = labelFilter(filter.labels);
    const result = await call('list volumes', this.endpoint, () =>
      this.docker.listVolumes(filters ? { filters } : {}),
    );
    return (result.Volumes ?? []).map((v) => ({ name: v.Name, labels: v.Labels ?? {} }));
  }
}
