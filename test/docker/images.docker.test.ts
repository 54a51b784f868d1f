import {
  mkdirSync,
  mkdtempSync,
  chmodSync,
  cpSync,
  appendFileSync,
  statSync,
  writeFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { assetDir } from '../../src/images/assets.js';
import { STUB_RUNTIME } from '../../src/images/derived-image.js';
import { LABEL, managedLabels } from '../../src/runtime/labels.js';
import { runToCompletion } from '../../src/runtime/run.js';
import { listJackinImages, pruneJackinImages } from '../../src/images/inventory.js';
import { docker, imageHarness, removeByLabel, sharedImages, testRunLabel } from '../helpers/images.js';
import type { SharedImages } from '../helpers/images.js';

const run = testRunLabel();
const hostIdentity = { uid: process.getuid!(), gid: process.getgid!() };
const scratch = mkdtempSync(join(tmpdir(), 'jackin-images-docker-'));
let images: SharedImages;

function roleDir(name: string, dockerfile?: string): string {
  const dir = join(scratch, name);
  cpSync(join(assetDir('roles'), 'agent-smith'), dir, { recursive: true });
  if (dockerfile !== undefined) writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  return dir;
}

/** Every image (tagged or replaced) a test built for a role key. */
function removeImagesOfRole(roleKey: string): void {
  const ids = docker(['images', '-q', '--no-trunc', '--filter', `label=dev.jackin.role=${roleKey}`])
    .split('\n')
    .filter(Boolean);
  if (ids.length > 0) docker(['image', 'rm', '-f', ...new Set(ids)]);
}

function layers(tag: string): string[] {
  return JSON.parse(docker(['image', 'inspect', tag, '--format', '{{json .RootFS.Layers}}'])) as string[];
}

beforeAll(async () => {
  images = await sharedImages();
});

afterEach(() => {
  removeByLabel(`${run.key}=${run.value}`);
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('the offline image path', () => {
  it('produces base → construct → DinD → derived with no registry', async () => {
    expect(images.base.tag).toBe('jackin/debian-base:bookworm');
    const base = docker(['image', 'inspect', images.base.tag, '--format', '{{json .}}']);
    const baseInfo = JSON.parse(base) as {
      RepoDigests: string[];
      Config: { Labels: Record<string, string> };
    };
    // Imported from a debootstrapped rootfs: no registry digest, jackin labels.
    expect(baseInfo.RepoDigests).toEqual([]);
    expect(baseInfo.Config.Labels[LABEL.image]).toBe('base');
    expect(baseInfo.Config.Labels[LABEL.managed]).toBe('true');

    const baseLayers = layers(images.base.tag);
    for (const tag of [images.construct.tag, images.dind.tag]) {
      expect(layers(tag).slice(0, baseLayers.length)).toEqual(baseLayers);
    }

    const { service } = imageHarness();
    const derived = await service.ensureDerived(
      { roleDir: join(assetDir('roles'), 'agent-smith'), identity: hostIdentity, runtimes: [STUB_RUNTIME] },
      images.construct,
    );
    const constructLayers = layers(images.construct.tag);
    expect(layers(derived.tag).slice(0, constructLayers.length)).toEqual(constructLayers);

    // The construct carries the tools, and the host's extra CA made it into the trust store.
    const tools = docker([
      'run',
      '--rm',
      '--label',
      `${run.key}=${run.value}`,
      '--entrypoint',
      'sh',
      derived.tag,
      '-c',
      'git --version && tmux -V && docker --version && node --version && rg --version && jq --version && fd --version && ls /usr/local/share/ca-certificates/jackin/ && jackin-runtime-stub --version',
    ]);
    expect(tools).toMatch(/git version/);
    expect(tools).toMatch(/tmux \d/);
    expect(tools).toMatch(/Docker version/);
    expect(tools).toMatch(/jackin-runtime-stub 0\.1\.0/);
  });

  it('installs host extra CAs so HTTPS through the intercepting proxy works inside a derived container', async () => {
    const { service } = imageHarness();
    const derived = await service.ensureDerived(
      { roleDir: join(assetDir('roles'), 'agent-smith'), identity: hostIdentity, runtimes: [STUB_RUNTIME] },
      images.construct,
    );
    const out = docker([
      'run',
      '--rm',
      '--label',
      `${run.key}=${run.value}`,
      derived.tag,
      'sh',
      '-c',
      'cd /tmp && npm view left-pad version --registry https://registry.npmjs.org/',
    ]);
    expect(out).toMatch(/^\d+\.\d+\.\d+$/m);
  });
});

describe('derived image recipes', () => {
  it('reuses an unchanged role without a build step and rebuilds when its Dockerfile changes', async () => {
    const dir = roleDir('reuse-role');
    const request = {
      roleDir: dir,
      roleKey: `reuse-${run.value.slice(0, 8)}`,
      identity: hostIdentity,
      runtimes: [STUB_RUNTIME],
    };
    const { service, events, progress } = imageHarness();
    try {
      const first = await service.ensureDerived(request, images.construct);
      expect(first.cache).toBe('miss');

      events.length = 0;
      progress.length = 0;
      const second = await service.ensureDerived(request, images.construct);
      expect(second.cache).toBe('hit');
      expect(second.imageId).toBe(first.imageId);
      expect(events.map((e) => e.event.type)).toEqual(['ImageBuilt']);
      expect(events[0]?.event.data).toMatchObject({ cache: 'hit', path: 'reuse' });
      expect(progress.some((p) => p.phase === 'progress')).toBe(false);
      expect(second.durationMs * 5).toBeLessThan(first.durationMs);

      appendFileSync(join(dir, 'Dockerfile'), 'RUN echo touched > /tmp/touched\n');
      events.length = 0;
      const third = await service.ensureDerived(request, images.construct);
      expect(third.cache).toBe('miss');
      expect(third.imageId).not.toBe(first.imageId);
      expect(events.map((e) => e.event.type)).toEqual(['ImageBuildRequested', 'ImageBuilt']);
      expect(events[0]?.event.data).toMatchObject({ reason: 'recipe_changed' });

      events.length = 0;
      const forced = await service.ensureDerived(request, images.construct, true);
      expect(forced.cache).toBe('miss');
      expect(events[0]?.event.data).toMatchObject({ reason: 'rebuild' });
    } finally {
      removeImagesOfRole(request.roleKey);
    }
  });
});

describe('host identity', () => {
  for (const identity of [hostIdentity, { uid: 4242, gid: 4343 }]) {
    it(`files written to a bind mount are owned by ${identity.uid}:${identity.gid}`, async () => {
      const { service, runtime } = imageHarness();
      const derived = await service.ensureDerived(
        { roleDir: join(assetDir('roles'), 'agent-smith'), identity, runtimes: [STUB_RUNTIME] },
        images.construct,
      );
      const mount = mkdtempSync(join(scratch, 'mount-'));
      chmodSync(mount, 0o777);
      const result = await runToCompletion(runtime, {
        image: derived.tag,
        cmd: ['sh', '-c', 'touch /work/made-by-agent && id -u && id -g && echo "$HOME"'],
        labels: managedLabels('role', { [run.key]: run.value }),
        mounts: [{ type: 'bind', source: mount, target: '/work' }],
      });
      expect(result.exitCode).toBe(0);
      expect(result.output.split('\n').slice(0, 3)).toEqual([
        String(identity.uid),
        String(identity.gid),
        '/home/agent',
      ]);
      const stat = statSync(join(mount, 'made-by-agent'));
      expect({ uid: stat.uid, gid: stat.gid }).toEqual(identity);
      if (identity.uid !== hostIdentity.uid) docker(['image', 'rm', derived.tag]);
    });
  }
});

describe('a role whose Dockerfile fails', () => {
  it('records ImageBuildFailed with the failing step, exits 1, leaves no containers behind', async () => {
    await sharedImages();
    const dir = roleDir(
      'broken-role',
      'ARG JACKIN_CONSTRUCT_IMAGE\nFROM ${JACKIN_CONSTRUCT_IMAGE}\nRUN echo about to fail && exit 3\n',
    );
    const home = join(scratch, 'home');
    mkdirSync(home, { recursive: true });
    const containersBefore = docker(['ps', '-aq', '--no-trunc']).split('\n').filter(Boolean).sort();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const chunks: string[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c.toString()));
    stderr.resume();
    const code = await main(['node', 'jackin', 'images', 'build', dir, '--json'], {
      stdout,
      stderr,
      stdinIsTTY: false,
      stdoutIsTTY: false,
      env: { ...process.env, JACKIN_HOME: home, JACKIN_CONFIG_DIR: join(scratch, 'config') },
      cwd: scratch,
    });
    expect(code).toBe(1);
    const output = JSON.parse(chunks.join('')) as { error: { code: string; message: string } };
    expect(output.error.code).toBe('image_build_failed');
    expect(output.error.message).toMatch(/RUN echo about to fail && exit 3/);

    const db = new Database(join(home, 'jackin.db'), { readonly: true });
    const rows = db
      .prepare('SELECT type, data FROM events WHERE stream_id = ? ORDER BY stream_version')
      .all(`image-jackin/role-broken-role:stub-${hostIdentity.uid}-${hostIdentity.gid}`) as {
      type: string;
      data: string;
    }[];
    db.close();
    expect(rows.map((r) => r.type)).toEqual(['ImageBuildRequested', 'ImageBuildFailed']);
    const failed = JSON.parse(rows[1]!.data) as { stage: string; lastLines: string[]; role: string };
    expect(failed.stage).toMatch(/^step 3\/\d+: RUN echo about to fail/);
    expect(failed.lastLines.join('\n')).toMatch(/about to fail/);
    expect(failed.role).toBe('broken-role');

    // No container the failed build made is left (others on the engine may come and go meanwhile).
    const containersAfter = docker(['ps', '-aq', '--no-trunc']).split('\n').filter(Boolean).sort();
    expect(containersAfter.filter((id) => !containersBefore.includes(id))).toEqual([]);
    expect(
      docker([
        'ps',
        '-aq',
        '--filter',
        'label=dev.jackin.managed=true',
        '--filter',
        'label=dev.jackin.kind=build',
      ]),
    ).toBe('');
  });
});

describe('jackin images list and prune', () => {
  it('lists jackin images by label and prunes only unreferenced derived images', async () => {
    const roleKey = `prune-${run.value.slice(0, 8)}`;
    const unlabelled = `jackin-test/unlabelled-${run.value.slice(0, 8)}:x`;
    const { service, runtime } = imageHarness();
    try {
      const used = await service.ensureDerived(
        {
          roleDir: roleDir(`${roleKey}-a`),
          roleKey: `${roleKey}-a`,
          identity: hostIdentity,
          runtimes: [STUB_RUNTIME],
        },
        images.construct,
      );
      const unused = await service.ensureDerived(
        {
          roleDir: roleDir(
            `${roleKey}-b`,
            'ARG JACKIN_CONSTRUCT_IMAGE\nFROM ${JACKIN_CONSTRUCT_IMAGE}\nRUN touch /tmp/b\n',
          ),
          roleKey: `${roleKey}-b`,
          identity: hostIdentity,
          runtimes: [STUB_RUNTIME],
        },
        images.construct,
      );
      // An image without jackin labels: prune must never touch it.
      docker(
        ['build', '-q', '-t', unlabelled, '-'],
        Buffer.from(`FROM ${images.base.tag}\nRUN touch /unlabelled\n`),
      );
      docker(['create', '--label', `${run.key}=${run.value}`, used.tag, 'true']);

      const listed = await listJackinImages(runtime);
      expect(listed.find((i) => i.tags.includes(used.tag))).toMatchObject({
        image: 'derived',
        role: `${roleKey}-a`,
        containers: 1,
      });
      expect(listed.map((i) => i.image)).toEqual(expect.arrayContaining(['base', 'construct', 'dind']));
      expect(listed.some((i) => i.tags.includes(unlabelled))).toBe(false);

      const result = await pruneJackinImages(runtime, { all: false });
      expect(result.skipped.find((s) => s.tags.includes(used.tag))?.reason).toMatch(/used by 1 container/);
      expect(result.removed.some((r) => r.tags.includes(unused.tag))).toBe(true);
      expect(result.removed.map((r) => r.image)).not.toContain('construct');
      expect(await runtime.images.inspect(images.construct.tag)).toBeDefined();
      expect(await runtime.images.inspect(used.tag)).toBeDefined();
      expect(await runtime.images.inspect(unused.tag)).toBeUndefined();
      expect(await runtime.images.inspect(unlabelled)).toBeDefined();
    } finally {
      removeByLabel(`${run.key}=${run.value}`);
      removeImagesOfRole(`${roleKey}-a`);
      removeImagesOfRole(`${roleKey}-b`);
      docker(['image', 'rm', '-f', unlabelled]);
    }
  });
});
