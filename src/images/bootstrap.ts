import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { JackinError } from '../kernel/errors.js';
import type { ContainerRuntime, Labels } from '../runtime/port.js';

/** Where the offline Debian base comes from. Both are configurable (flags, JACKIN_DEBIAN_*). */
export interface BootstrapSource {
  readonly suite: string;
  readonly mirror: string;
}

export const DEFAULT_BOOTSTRAP_SOURCE: BootstrapSource = {
  suite: 'bookworm',
  mirror: 'http://deb.debian.org/debian',
};

/** Why the offline path cannot run here, or undefined when it can. */
export function bootstrapBlocker(
  platform: NodeJS.Platform = process.platform,
  uid: number | undefined = process.getuid?.(),
): string | undefined {
  if (platform !== 'linux') return 'the offline bootstrap needs Linux (debootstrap)';
  if (uid !== 0) return 'the offline bootstrap needs root (debootstrap creates device nodes and chroots)';
  if (!findDebootstrap()) return 'debootstrap is not installed';
  return undefined;
}

function findDebootstrap(): string | undefined {
  return ['/usr/sbin/debootstrap', '/usr/bin/debootstrap', '/sbin/debootstrap', '/bin/debootstrap'].find(
    (p) => existsSync(p),
  );
}

/** The exact remedy printed when neither a registry nor debootstrap can produce the base image. */
export const BOOTSTRAP_REMEDY =
  'install debootstrap (`sudo apt-get install debootstrap`) and run `sudo jackin images bootstrap`, ' +
  'or make debian:bookworm-slim available (`docker pull debian:bookworm-slim` or `docker load`)';

interface ChildResult {
  readonly code: number;
  readonly tail: string[];
}

function run(command: string, args: readonly string[], onLine: (line: string) => void): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const take = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 50) tail.shift();
        onLine(line);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, tail }));
  });
}

export interface BootstrapRequest {
  readonly runtime: ContainerRuntime;
  readonly source: BootstrapSource;
  readonly repository: string;
  readonly tag: string;
  readonly labels: Labels;
  /** Scratch space for the root filesystem (removed afterwards). */
  readonly workDir: string;
  readonly onLine: (line: string) => void;
}

/** Failure carrying the stage and the last output lines, for ImageBuildFailed. */
export class BootstrapError extends JackinError {
  constructor(
    readonly stage: string,
    reason: string,
    readonly tail: readonly string[],
  ) {
    super('image_build_failed', `offline bootstrap failed at ${stage}: ${reason}`, {
      hint: 'check that the Debian mirror is reachable (--mirror) and rerun with --debug',
    });
    this.name = 'BootstrapError';
  }
}

/**
 * debootstrap --variant=minbase <suite> from <mirror>, trim the apt cache and lists, then stream
 * the root filesystem into `docker import`. Needs no image registry. Returns the image id.
 */
export async function bootstrapBaseImage(request: BootstrapRequest): Promise<string> {
  const blocker = bootstrapBlocker();
  if (blocker)
    throw new JackinError('image_build_failed', `cannot bootstrap the Debian base: ${blocker}`, {
      hint: BOOTSTRAP_REMEDY,
    });
  mkdirSync(request.workDir, { recursive: true });
  const scratch = mkdtempSync(join(request.workDir, 'bootstrap-'));
  const rootfs = join(scratch, 'rootfs');
  try {
    const debootstrap = await run(
      findDebootstrap() ?? 'debootstrap',
      ['--variant=minbase', request.source.suite, rootfs, request.source.mirror],
      request.onLine,
    );
    if (debootstrap.code !== 0)
      throw new BootstrapError('debootstrap', `exit code ${debootstrap.code}`, debootstrap.tail);
    for (const path of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
      rmSync(join(rootfs, path), { recursive: true, force: true });
      mkdirSync(join(rootfs, path, 'partial'), { recursive: true });
    }
    const tar = spawn('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tarErrors: string[] = [];
    tar.stderr.on('data', (c: Buffer) => tarErrors.push(c.toString('utf8')));
    const labelChanges = Object.entries(request.labels).map(([k, v]) => `LABEL ${k}=${JSON.stringify(v)}`);
    try {
      return await request.runtime.images.import({
        rootfs: tar.stdout,
        repository: request.repository,
        tag: request.tag,
        changes: [
          ...labelChanges,
          'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          'CMD ["/bin/bash"]',
        ],
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new BootstrapError('docker import', reason, tarErrors);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
