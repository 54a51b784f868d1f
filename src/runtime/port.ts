import type { Readable } from 'node:stream';

/**
 * The container runtime port. Every type here is jackin's own: no dockerode type crosses this
 * boundary, so a fake needs no casts and a Kubernetes backend can implement the same interfaces.
 * Narrow per-resource clients (engine, images, containers, networks, volumes) keep each small.
 */
export type Labels = Readonly<Record<string, string>>;

export interface EngineInfo {
  readonly id: string;
  readonly name: string;
  readonly serverVersion: string;
  readonly apiVersion: string;
  readonly os: string;
  readonly architecture: string;
  readonly kernelVersion: string;
  readonly cgroupVersion: string;
  readonly cgroupDriver: string;
  /** Where the engine was reached, e.g. `unix:///var/run/docker.sock` (never credentials). */
  readonly endpoint: string;
}

export interface EngineClient {
  /** Fails with DockerUnavailableError when the engine cannot be reached. */
  info(): Promise<EngineInfo>;
}

export interface ImageSummary {
  readonly id: string;
  readonly tags: readonly string[];
  readonly labels: Labels;
  readonly sizeBytes: number;
  readonly createdAt: string;
  /** Number of filesystem layers; set by `inspect` (listing does not report it). */
  readonly layerCount?: number;
}

export type BuildProgress =
  | { readonly kind: 'step'; readonly step: number; readonly total: number; readonly instruction: string }
  | { readonly kind: 'output'; readonly line: string };

export interface BuildImageRequest {
  /** Directory sent as the build context (the Dockerfile is inside it). */
  readonly contextDir: string;
  /** Dockerfile path relative to contextDir (default `Dockerfile`). */
  readonly dockerfile?: string;
  readonly tag: string;
  readonly labels?: Labels;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly noCache?: boolean;
  readonly onProgress?: (progress: BuildProgress) => void;
}

export interface BuildImageResult {
  readonly imageId: string;
  /** Up to the last 50 output lines. */
  readonly tail: readonly string[];
}

export interface ImportImageRequest {
  /** A tar stream of a root filesystem. */
  readonly rootfs: Readable;
  readonly repository: string;
  readonly tag: string;
  /** Dockerfile instructions applied on import (`LABEL …`, `CMD …`, `ENV …`). */
  readonly changes?: readonly string[];
}

export interface ImageClient {
  /** Returns undefined when the image does not exist. */
  inspect(reference: string): Promise<ImageSummary | undefined>;
  list(filter?: { readonly labels?: Labels }): Promise<readonly ImageSummary[]>;
  /** Classic build of a context directory; throws ImageBuildStepError on a failing step. */
  build(request: BuildImageRequest): Promise<BuildImageResult>;
  /** `docker import`: a rootfs tar becomes an image; returns its id. */
  import(request: ImportImageRequest): Promise<string>;
  /** Pulls from a registry; throws when unreachable. */
  pull(reference: string): Promise<void>;
  /** Removes a tag or image id; `force` removes even when tagged more than once. */
  remove(reference: string, options?: { readonly force?: boolean }): Promise<void>;
}

export interface Mount {
  readonly type: 'bind' | 'volume';
  readonly source: string;
  readonly target: string;
  readonly readOnly?: boolean;
}

/**
 * How much the container may do. `privileged` is Docker's --privileged; the other fields are the
 * fine-grained equivalent used where the engine refuses --privileged (see privileged.ts).
 */
export interface SecurityProfile {
  readonly privileged?: boolean;
  readonly capAdd?: readonly string[];
  readonly capDrop?: readonly string[];
  readonly securityOpt?: readonly string[];
  readonly deviceCgroupRules?: readonly string[];
}

/** Resource limits (Docker: --memory, --cpus, --pids-limit). */
export interface ResourceLimits {
  readonly memoryBytes?: number;
  /** CPUs in units of 1e-9 CPUs (Docker's NanoCpus): 2 CPUs = 2e9. */
  readonly nanoCpus?: number;
  readonly pidsLimit?: number;
}

export interface ContainerSpec {
  readonly image: string;
  readonly name?: string;
  readonly hostname?: string;
  readonly cmd?: readonly string[];
  readonly entrypoint?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly labels?: Labels;
  readonly user?: string;
  readonly workdir?: string;
  readonly network?: string;
  readonly networkAliases?: readonly string[];
  readonly mounts?: readonly Mount[];
  readonly security?: SecurityProfile;
  /** Share the host PID namespace (used only by the engine capability probe). */
  readonly hostPid?: boolean;
  readonly tty?: boolean;
  readonly resources?: ResourceLimits;
}

export interface ContainerSummary {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly imageId: string;
  readonly state: string;
  readonly labels: Labels;
}

export interface ContainerDetails extends ContainerSummary {
  readonly running: boolean;
  readonly exitCode: number | undefined;
  /** IP per network name. */
  readonly ipAddresses: Readonly<Record<string, string>>;
  /** Whether the kernel OOM killer stopped it (set by adapters that know). */
  readonly oomKilled?: boolean;
  /** When it last started (ISO), when known. */
  readonly startedAt?: string;
}

export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ContainerClient {
  /** Creates (does not start) a container; returns its id. */
  create(spec: ContainerSpec): Promise<string>;
  start(id: string): Promise<void>;
  /** Waits until the container stops; returns its exit code. */
  wait(id: string): Promise<number>;
  stop(id: string, options?: { readonly timeoutSeconds?: number }): Promise<void>;
  /** Force-removes the container and its anonymous volumes; no error if already gone. */
  remove(id: string): Promise<void>;
  inspect(id: string): Promise<ContainerDetails | undefined>;
  list(filter?: { readonly labels?: Labels; readonly all?: boolean }): Promise<readonly ContainerSummary[]>;
  /** Combined stdout+stderr of a stopped or running container. */
  logs(id: string): Promise<string>;
  exec(id: string, cmd: readonly string[], options?: { readonly user?: string }): Promise<ExecResult>;
  /** Changes a container's resource limits in place (`docker update`); only the fields given. */
  update(id: string, resources: ResourceLimits): Promise<void>;
}

export interface NetworkSummary {
  readonly id: string;
  readonly name: string;
  readonly labels: Labels;
}

export interface NetworkClient {
  create(request: {
    readonly name: string;
    readonly labels?: Labels;
    readonly internal?: boolean;
  }): Promise<string>;
  remove(idOrName: string): Promise<void>;
  list(filter?: { readonly labels?: Labels }): Promise<readonly NetworkSummary[]>;
}

export interface VolumeSummary {
  readonly name: string;
  readonly labels: Labels;
}

export interface VolumeClient {
  create(request: { readonly name: string; readonly labels?: Labels }): Promise<string>;
  remove(name: string): Promise<void>;
  list(filter?: { readonly labels?: Labels }): Promise<readonly VolumeSummary[]>;
}

export interface ContainerRuntime {
  readonly engine: EngineClient;
  readonly images: ImageClient;
  readonly containers: ContainerClient;
  readonly networks: NetworkClient;
  readonly volumes: VolumeClient;
}
