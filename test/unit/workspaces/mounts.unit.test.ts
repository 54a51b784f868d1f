import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJackinError } from '../../../src/kernel/errors.js';
import { findRedundant, planMounts } from '../../../src/workspaces/mount-plan.js';
import type { MountRequest } from '../../../src/workspaces/mount-plan.js';
import { parseMountSpec } from '../../../src/workspaces/mount-spec.js';
import { scopeMatches } from '../../../src/workspaces/scope-glob.js';
import { sensitiveReason } from '../../../src/workspaces/sensitive.js';

const root = mkdtempSync(join(tmpdir(), 'jackin-mounts-'));
const home = join(root, 'home');
let socketServer: Server;
beforeAll(async () => {
  for (const d of ['src/app/target', '.ssh', '.config/gh', 'other'])
    mkdirSync(join(home, d), { recursive: true });
  symlinkSync(join(home, '.ssh'), join(home, 'innocent'));
  mkdirSync(join(root, 'run'));
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(join(root, 'run', 'docker.sock'), resolve));
});
afterAll(() => {
  socketServer.close();
  rmSync(root, { recursive: true, force: true });
});

const ctx = { home: '/home/me', cwd: '/work' };
const req = (src: string, dst: string, extra: Partial<MountRequest> = {}): MountRequest => ({
  src,
  dst,
  readonly: false,
  isolation: 'shared',
  origin: 'adhoc',
  ...extra,
});

async function expectError(run: () => Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isJackinError(error), String(error)).toBe(true);
  if (isJackinError(error)) {
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.message).toMatch(message);
  }
}

describe('SRC[:DST][:ro] parsing', () => {
  it.each([
    ['~/src/app', { src: '/home/me/src/app', dst: '/home/me/src/app', readonly: false }],
    ['~/src/app:ro', { src: '/home/me/src/app', dst: '/home/me/src/app', readonly: true }],
    ['./app:/workspace/app', { src: '/work/app', dst: '/workspace/app', readonly: false }],
    ['/data:/data/:ro', { src: '/data', dst: '/data', readonly: true }],
    ['/data:/x/../y:rw', { src: '/data', dst: '/y', readonly: false }],
  ])('%s', (spec, expected) => expect(parseMountSpec(spec, ctx)).toEqual(expected));

  it.each([
    ['/a:relative', /is relative/],
    ['', /empty mount/],
    ['/a:/b:/c', /invalid mount/],
    ['~other/x', /cannot expand/],
  ])('refuses %j', (spec, message) => expect(() => parseMountSpec(spec, ctx)).toThrow(message));
});

describe('mount planning', () => {
  it('canonicalizes sources (symlinks resolved) before the sensitive check', async () => {
    const [m] = await planMounts([req(join(home, 'innocent'), '/keys', { readonly: true })], home);
    expect(m?.src).toBe(join(home, '.ssh'));
    expect(m?.sensitive).toBe('SSH keys');
  });

  it('flags the home directory, ~/.config/gh and a parent holding sensitive dirs, but not a project', () => {
    expect(sensitiveReason(home, home)).toBe('your whole home directory');
    expect(sensitiveReason('/', home)).toBe('the host root filesystem');
    expect(sensitiveReason(join(home, '.config/gh'), home)).toBe('GitHub CLI token');
    expect(sensitiveReason(join(home, '.config'), home)).toMatch(/contains ~\/\.config\/gh/);
    expect(sensitiveReason(join(home, 'src/app'), home)).toBeUndefined();
  });

  it('refuses the Docker socket and a directory holding it', async () => {
    await expectError(
      () => planMounts([req(join(root, 'run', 'docker.sock'), '/var/run/docker.sock')], home),
      'sensitive_mount',
      /Docker socket/,
    );
    await expectError(
      () => planMounts([req(join(root, 'run'), '/run')], home),
      'sensitive_mount',
      /Docker socket/,
    );
  });

  it('rejects a missing source, relative and duplicate destinations, and jackin-owned paths', async () => {
    await expectError(
      () => planMounts([req(join(home, 'nope'), '/x')], home),
      'invalid_input',
      /does not exist/,
    );
    await expectError(() => planMounts([req(join(home, 'other'), 'x')], home), 'invalid_input', /relative/);
    await expectError(
      () =>
        planMounts(
          [req(join(home, 'other'), '/x', { origin: 'workspace' }), req(join(home, 'src'), '/x/')],
          home,
        ),
      'invalid_input',
      /duplicate container destination '\/x' \(workspace and adhoc\)/,
    );
    await expectError(
      () => planMounts([req(join(home, 'other'), '/jackin/state')], home),
      'invalid_input',
      /reserved for jackin/,
    );
  });

  it('refuses nested isolated mounts, isolated sensitive mounts and read-only isolation', async () => {
    await expectError(
      () =>
        planMounts(
          [
            req(join(home, 'src'), '/w', { isolation: 'worktree' }),
            req(join(home, 'src/app'), '/w/app', { isolation: 'clone' }),
          ],
          home,
        ),
      'invalid_input',
      /nested inside isolated mount/,
    );
    await expectError(
      () => planMounts([req(join(home, '.ssh'), '/k', { isolation: 'clone' })], home),
      'sensitive_mount',
      /cannot use clone isolation/,
    );
    await expectError(
      () => planMounts([req(join(home, 'src'), '/w', { isolation: 'worktree', readonly: true })], home),
      'invalid_input',
      /cannot be read-only/,
    );
  });

  it('allows a shared child inside an isolated mount (e.g. target/)', async () => {
    const plan = await planMounts(
      [
        req(join(home, 'src/app'), '/w', { isolation: 'worktree' }),
        req(join(home, 'src/app/target'), '/w/target'),
      ],
      home,
    );
    expect(plan.map((m) => m.isolation)).toEqual(['worktree', 'shared']);
  });

  it('finds mounts covered by a parent at the same offset', () => {
    const parent = { src: '/h/src', dst: '/src', readonly: false, isolation: 'shared' as const };
    const child = { src: '/h/src/app', dst: '/src/app', readonly: false, isolation: 'shared' as const };
    const moved = { src: '/h/src/lib', dst: '/lib', readonly: false, isolation: 'shared' as const };
    const ro = { src: '/h/src/doc', dst: '/src/doc', readonly: true, isolation: 'shared' as const };
    expect(findRedundant([parent, child, moved, ro])).toEqual([child]);
  });

  it('matches mount scopes by role glob', () => {
    expect(scopeMatches('acme/*', 'acme/backend')).toBe(true);
    expect(scopeMatches('acme/*', 'other/backend')).toBe(false);
    expect(scopeMatches('agent-smith', 'agent-smith')).toBe(true);
    expect(scopeMatches('*', 'acme/backend')).toBe(false);
    expect(scopeMatches('**', 'acme/backend')).toBe(true);
  });
});
