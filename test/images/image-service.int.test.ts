import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/events/envelope.js';
import { assetDir } from '../../src/images/assets.js';
import { detectExtraCaCerts } from '../../src/images/ca-certs.js';
import { STUB_RUNTIME } from '../../src/images/derived-image.js';
import { ImageService } from '../../src/images/image-service.js';
import type { ImageOutcome, ImageServiceDeps } from '../../src/images/image-service.js';
import { systemClock } from '../../src/kernel/clock.js';
import { FakeRuntime } from '../helpers/fake-runtime.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jackin-image-service-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function service(runtime: FakeRuntime, events: NewEvent[], env: NodeJS.ProcessEnv = {}) {
  return new ImageService(deps(runtime, events, env));
}

function deps(runtime: FakeRuntime, events: NewEvent[], env: NodeJS.ProcessEnv = {}): ImageServiceDeps {
  return {
    runtime,
    record: (_tag: string, event: NewEvent) => {
      events.push(event);
      return Promise.resolve();
    },
    clock: systemClock,
    logger: { info: () => undefined },
    env,
    imagesDir: assetDir('images'),
    workDir: join(dir, 'work'),
    certs: [],
  };
}

const construct: ImageOutcome = {
  image: 'construct',
  tag: 'jackin/construct:0.1',
  imageId: 'sha256:c',
  recipeHash: 'h',
  cache: 'hit',
  path: 'reuse',
  durationMs: 0,
};

function role(): string {
  const roleDir = join(dir, 'my-role');
  cpSync(join(assetDir('roles'), 'agent-smith'), roleDir, { recursive: true });
  return roleDir;
}

describe('ImageService reuse decision (fake runtime)', () => {
  it('builds once, then reuses on an unchanged recipe, and rebuilds on a content change', async () => {
    const runtime = new FakeRuntime();
    const events: NewEvent[] = [];
    const images = service(runtime, events);
    const request = { roleDir: role(), identity: { uid: 1000, gid: 1000 }, runtimes: [STUB_RUNTIME] };
    expect((await images.ensureDerived(request, construct)).cache).toBe('miss');
    expect((await images.ensureDerived(request, construct)).cache).toBe('hit');
    expect(runtime.builds).toHaveLength(1);
    // The build context held the role, the jackin layer and the generated Dockerfile with one LABEL.
    expect(runtime.builds[0]?.dockerfile).toBe('.jackin/Dockerfile');

    appendFileSync(join(request.roleDir, 'jackin.role.toml'), '\n# edited\n');
    expect((await images.ensureDerived(request, construct)).cache).toBe('miss');
    expect(
      (await images.ensureDerived({ ...request, identity: { uid: 1001, gid: 1000 } }, construct)).cache,
    ).toBe('miss');
    expect(events.map((e) => e.type)).toEqual([
      'ImageBuildRequested',
      'ImageBuilt',
      'ImageBuilt',
      'ImageBuildRequested',
      'ImageBuilt',
      'ImageBuildRequested',
      'ImageBuilt',
    ]);
  });

  it('builds a tag once when two services (two processes) ask at the same time', async () => {
    const runtime = new FakeRuntime();
    const lockDir = join(dir, 'locks');
    const a = new ImageService({ ...deps(runtime, []), lockDir });
    const b = new ImageService({ ...deps(runtime, []), lockDir });
    const request = { roleDir: role(), identity: { uid: 1000, gid: 1000 }, runtimes: [STUB_RUNTIME] };
    const outcomes = await Promise.all([
      a.ensureDerived(request, construct),
      b.ensureDerived(request, construct),
    ]);
    expect(outcomes.map((o) => o.cache).sort()).toEqual(['hit', 'miss']);
    expect(runtime.builds).toHaveLength(1);
  });

  it('records ImageBuildFailed with the stage and redacts credentials in proxy URLs', async () => {
    const runtime = new FakeRuntime();
    runtime.failBuilds = 'fetch http://user:hunter2@proxy:3128/ failed';
    const events: NewEvent[] = [];
    await expect(
      service(runtime, events).ensureDerived(
        { roleDir: role(), identity: { uid: 1, gid: 1 }, runtimes: [STUB_RUNTIME] },
        construct,
      ),
    ).rejects.toThrow(/failed at step 1\/1/);
    const failed = events.find((e) => e.type === 'ImageBuildFailed');
    expect(failed?.data).toMatchObject({ stage: 'step 1/1: RUN build', lastLines: ['boom'] });
    expect(JSON.stringify(events)).not.toContain('hunter2');
  });

  it('reports the exact remedy when there is no registry and no way to bootstrap', async () => {
    const runtime = new FakeRuntime();
    const images = new ImageService({
      ...deps(runtime, []),
      bootstrapBlocker: () => 'debootstrap is not installed',
    });
    // The fake registry is unreachable and debootstrap is "missing": the error names both remedies.
    await expect(
      images.ensureBase({
        base: 'auto',
        bootstrap: { suite: 'bookworm', mirror: 'http://deb.debian.org/debian' },
      }),
    ).rejects.toMatchObject({
      code: 'image_build_failed',
      message: expect.stringMatching(
        /debian:bookworm-slim cannot be pulled and debootstrap is not installed/,
      ),
      hint: expect.stringMatching(/apt-get install debootstrap.*jackin images bootstrap/),
    });
  });

  it('uses a local registry base when present, without building or recording anything', async () => {
    const runtime = new FakeRuntime();
    runtime.add('debian:bookworm-slim', {});
    const events: NewEvent[] = [];
    const base = await service(runtime, events).ensureBase({
      base: 'auto',
      bootstrap: { suite: 'bookworm', mirror: 'http://deb.debian.org/debian' },
    });
    expect(base).toMatchObject({ tag: 'debian:bookworm-slim', path: 'registry' });
    expect(events).toEqual([]);
  });
});

describe('DinD image source', () => {
  const bootstrap = { suite: 'bookworm', mirror: 'http://deb.debian.org/debian' };

  it('pulls a registry DinD image when asked, then reuses it without pulling', async () => {
    const runtime = new FakeRuntime();
    runtime.add('debian:bookworm-slim', {});
    runtime.registry.add('docker:dind');
    const events: NewEvent[] = [];
    const images = service(runtime, events);
    const options = {
      base: 'auto' as const,
      bootstrap,
      dind: { source: 'registry' as const, reference: 'docker:dind' },
    };
    const first = await images.ensureSharedImages(options);
    expect(first.dind).toMatchObject({ tag: 'docker:dind', path: 'pull', cache: 'miss' });
    const second = await images.ensureSharedImages(options);
    expect(second.dind).toMatchObject({ tag: 'docker:dind', path: 'reuse', cache: 'hit' });
    expect(runtime.builds.map((b) => b.tag)).toEqual(['jackin/construct:0.1']);
  });

  it('records ImageBuildFailed at stage pull when the registry is unreachable', async () => {
    const runtime = new FakeRuntime();
    runtime.add('debian:bookworm-slim', {});
    const events: NewEvent[] = [];
    await expect(
      service(runtime, events).ensureSharedImages({
        base: 'auto',
        bootstrap,
        dind: { source: 'registry', reference: 'docker:dind' },
      }),
    ).rejects.toThrow(/no registry for docker:dind/);
    expect(events.find((e) => e.type === 'ImageBuildFailed')?.data).toMatchObject({
      image: 'dind',
      stage: 'pull',
    });
  });
});

describe('extra CA detection', () => {
  it('finds certificates in the local CA dir and in NODE_EXTRA_CA_CERTS, deduplicated, never the system bundle', () => {
    const caDir = join(dir, 'ca');
    mkdirSync(caDir);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'k.pem'),
        '-out',
        join(caDir, 'corp.crt'),
        '-subj',
        '/CN=Corp Proxy CA',
        '-days',
        '2',
      ],
      { stdio: 'ignore' },
    );
    writeFileSync(join(dir, 'extra.pem'), readFileSync(join(caDir, 'corp.crt')));
    const certs = detectExtraCaCerts({
      env: {
        NODE_EXTRA_CA_CERTS: join(dir, 'extra.pem'),
        SSL_CERT_FILE: '/etc/ssl/certs/ca-certificates.crt',
      },
      localDir: caDir,
    });
    expect(certs).toHaveLength(1);
    expect(certs[0]?.subject).toContain('Corp Proxy CA');
    expect(certs[0]?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(certs[0]?.pem).not.toContain('PRIVATE KEY');
  });
});
