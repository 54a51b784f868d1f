import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../../src/config/config-store.js';
import { grantTrust } from '../../../src/engine/config/trust.js';
import { InMemoryEventStore } from '../../../src/events/memory-store.js';
import { isJackinError } from '../../../src/kernel/errors.js';
import { roleCacheDir } from '../../../src/roles/role-cache.js';
import { resolveRole } from '../../../src/roles/resolve-role.js';
import type { ResolveRoleDeps } from '../../../src/roles/resolve-role.js';
import { sequentialIds, steppingClock } from '../../helpers/temp-home.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@e',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@e',
};
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();

let root: string;
let bare: string;
let work: string;
let files: ConfigStore;
let events: InMemoryEventStore;

/** A bare repo at file://<root>/acme/jackin-backend.git with one valid role commit. */
function makeRoleRepo(): void {
  bare = join(root, 'remote', 'acme', 'jackin-backend.git');
  mkdirSync(bare, { recursive: true });
  git(bare, 'init', '--bare', '--quiet', '-b', 'main');
  work = join(root, 'work');
  git(root, 'clone', '--quiet', bare, work);
  git(work, 'checkout', '--quiet', '-b', 'main');
  writeFileSync(join(work, 'jackin.role.toml'), 'version = "v1alpha7"\nagents = ["claude"]\n[claude]\n');
  writeFileSync(join(work, 'Dockerfile'), 'FROM jackin/construct:0.1\n');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'role');
  git(work, 'push', '--quiet', 'origin', 'main');
}

function commitUpstream(file: string, text: string): string {
  writeFileSync(join(work, file), text);
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', `change ${file}`);
  git(work, 'push', '--quiet', 'origin', 'main');
  return git(work, 'rev-parse', 'HEAD');
}

async function deps(overrides: Partial<ResolveRoleDeps> = {}): Promise<ResolveRoleDeps> {
  const url = `file://${bare}`;
  await files.updateConfig((c) => ({
    next: {
      ...c,
      role_repo_refresh_ttl_seconds: 3600,
      roles: { ...c.roles, 'acme/backend': { ...c.roles?.['acme/backend'], git: url } },
    },
    result: undefined,
  }));
  return {
    config: (await files.loadConfig()).value,
    rolesDir: join(root, 'jackin-home', 'roles'),
    env: GIT_ENV,
    cwd: root,
    home: root,
    now: () => new Date(),
    grantTrust: (g) => grantTrust(files, () => Promise.resolve(events), g, 'prompt'),
    ...overrides,
  };
}

async function expectCode(run: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isJackinError(error), String(error)).toBe(true);
  if (isJackinError(error)) {
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'jackin-role-git-'));
  files = new ConfigStore(join(root, 'config'));
  events = new InMemoryEventStore({
    correlationId: 'c',
    actor: 'operator',
    host: 'h',
    jackinVersion: '0',
    clock: steppingClock(),
    ids: sequentialIds(),
  });
  makeRoleRepo();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('role resolution against real git (file:// bare repos)', () => {
  it('refuses an untrusted source without a terminal, with a hint', async () => {
    await expectCode(resolveRole('acme/backend', await deps()), 'untrusted_role', /not trusted/);
  });

  it('trust on first use: the prompt shows URL and commit; the grant is persisted and recorded with the commit', async () => {
    const head = git(work, 'rev-parse', 'HEAD');
    const asked: unknown[] = [];
    const role = await resolveRole(
      'acme/backend',
      await deps({ confirmTrust: (q) => (asked.push(q), Promise.resolve(true)) }),
    );
    expect(asked).toEqual([{ key: 'acme/backend', url: `file://${bare}`, commit: head }]);
    expect(role).toMatchObject({ commit: head, trusted: true, checkout: 'cloned' });
    const config = (await files.loadConfig()).value;
    expect(config.roles?.['acme/backend']).toMatchObject({ trusted: true, trusted_commit: head });
    const recorded = await events.readStream('config');
    expect(recorded.map((e) => [e.type, e.data])).toEqual([
      ['TrustGranted', { role: 'acme/backend', source: `file://${bare}`, commit: head, via: 'prompt' }],
    ]);
    // trusted now: no second prompt
    const again = await resolveRole(
      'acme/backend',
      await deps({ confirmTrust: () => Promise.reject(new Error('asked twice')) }),
    );
    expect(again.checkout).toBe('cached');
  });

  it('a declined prompt refuses and records nothing', async () => {
    await expectCode(
      resolveRole('acme/backend', await deps({ confirmTrust: () => Promise.resolve(false) })),
      'untrusted_role',
      /not trusted/,
    );
    expect(await events.streamVersion('config')).toBe(0);
  });

  it('refuses a cached clone with local changes or extra files', async () => {
    const d = await deps({ confirmTrust: () => Promise.resolve(true) });
    await resolveRole('acme/backend', d);
    const cache = roleCacheDir(d.rolesDir, 'acme/backend');
    writeFileSync(join(cache, 'stray.txt'), 'x');
    await expectCode(
      resolveRole('acme/backend', await deps()),
      'role_cache_dirty',
      /local changes or extra files/,
    );
    rmSync(join(cache, 'stray.txt'));
    writeFileSync(join(cache, 'Dockerfile'), 'FROM jackin/construct:0.2\n');
    await expectCode(resolveRole('acme/backend', await deps()), 'role_cache_dirty', /local changes/);
  });

  it('refuses a cached clone whose origin is not the configured source', async () => {
    const d = await deps({ confirmTrust: () => Promise.resolve(true) });
    await resolveRole('acme/backend', d);
    const other = join(root, 'remote', 'other.git');
    git(root, 'clone', '--quiet', '--bare', bare, other);
    git(roleCacheDir(d.rolesDir, 'acme/backend'), 'remote', 'set-url', 'origin', `file://${other}`);
    await expectCode(
      resolveRole('acme/backend', await deps()),
      'role_origin_mismatch',
      /comes from 'file:\/\/.*other\.git'/,
    );
  });

  it('refreshes after the TTL and picks up a new upstream commit; within the TTL it does not', async () => {
    const d = await deps({ confirmTrust: () => Promise.resolve(true) });
    const first = await resolveRole('acme/backend', d);
    const next = commitUpstream('README.md', 'new\n');
    const within = await resolveRole('acme/backend', await deps());
    expect(within).toMatchObject({ checkout: 'cached', commit: first.commit });
    const marker = join(roleCacheDir(d.rolesDir, 'acme/backend'), '.git', 'jackin-refreshed-at');
    const old = new Date(Date.now() - 7200_000);
    utimesSync(marker, old, old);
    const after = await resolveRole('acme/backend', await deps());
    expect(after).toMatchObject({ checkout: 'fetched', commit: next });
  });

  it('a force-pushed upstream is followed (reset to the fetched head)', async () => {
    await resolveRole('acme/backend', await deps({ confirmTrust: () => Promise.resolve(true) }));
    git(work, 'commit', '--quiet', '--amend', '-m', 'rewritten');
    git(work, 'push', '--quiet', '--force', 'origin', 'main');
    const rewritten = git(work, 'rev-parse', 'HEAD');
    const after = await resolveRole('acme/backend', await deps({ forceRefresh: true }));
    expect(after.commit).toBe(rewritten);
  });

  it('an invalid manifest upstream fails validation with exit 2 after the refresh', async () => {
    await resolveRole('acme/backend', await deps({ confirmTrust: () => Promise.resolve(true) }));
    commitUpstream('Dockerfile', 'FROM ubuntu\n');
    const error = await resolveRole('acme/backend', await deps({ forceRefresh: true })).catch(
      (e: unknown) => e,
    );
    expect(isJackinError(error) && error.code).toBe('invalid_manifest');
    expect(isJackinError(error) && error.exitCode).toBe(2);
  });

  it('a failed clone leaves nothing in the cache', async () => {
    const d = await deps();
    await files.updateConfig((c) => ({
      next: { ...c, roles: { 'acme/backend': { git: `file://${join(root, 'missing.git')}` } } },
      result: undefined,
    }));
    await expectCode(
      resolveRole('acme/backend', { ...d, config: (await files.loadConfig()).value }),
      'git_failed',
      /clone/,
    );
    expect(() =>
      execFileSync('ls', [join(d.rolesDir, 'acme', 'backend')], { encoding: 'utf8' }),
    ).not.toThrow();
    expect(execFileSync('ls', ['-A', join(d.rolesDir, 'acme', 'backend')], { encoding: 'utf8' }).trim()).toBe(
      '',
    );
  });

  it('refuses option-injection and transport-helper URLs before git runs', async () => {
    for (const url of [
      '--upload-pack=touch /tmp/pwned',
      'ext::sh -c touch% /tmp/pwned',
      'http://insecure.example/x.git',
      'fd::3',
    ]) {
      await expectCode(
        resolveRole(url, await deps()),
        'invalid_input',
        /refusing git URL|invalid role selector/,
      );
    }
    const d = await deps();
    for (const git of ['-oProxyCommand=touch /tmp/pwned', 'ext::sh -c x']) {
      const config = { ...d.config, roles: { 'acme/backend': { git } } };
      await expectCode(resolveRole('acme/backend', { ...d, config }), 'invalid_input', /refusing git URL/);
    }
  });
});
