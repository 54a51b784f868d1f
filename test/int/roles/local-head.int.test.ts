import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localHeadCommit } from '../../../src/roles/git.js';
import { gitIn as git } from '../../helpers/instances.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'jackin-local-head-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the commit of a local role folder', () => {
  it("is the repository's HEAD, from its root or a subfolder", async () => {
    const repo = join(root, 'repo');
    mkdirSync(join(repo, 'roles', 'backend'), { recursive: true });
    git(repo, 'init', '--quiet', '-b', 'main');
    writeFileSync(join(repo, 'roles', 'backend', 'jackin.role.toml'), 'version = "v1alpha7"\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '--quiet', '-m', 'role');
    const head = git(repo, 'rev-parse', 'HEAD');
    expect(await localHeadCommit(repo, process.env)).toBe(head);
    expect(await localHeadCommit(join(repo, 'roles', 'backend'), process.env)).toBe(head);
  });

  it('is null for a folder in no repository, and for a repository without commits', async () => {
    const plain = join(root, 'plain');
    mkdirSync(plain);
    expect(await localHeadCommit(plain, process.env)).toBeNull();
    const empty = join(root, 'empty');
    mkdirSync(empty);
    git(empty, 'init', '--quiet');
    expect(await localHeadCommit(empty, process.env)).toBeNull();
  });
});
