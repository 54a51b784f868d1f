import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../../src/config/config-store.js';
import { isJackinError } from '../../../src/kernel/errors.js';

/** Each bad file, the command that touches it, and the specific error it must produce. */
const CONFIG_CASES: readonly { name: string; text: string; error: RegExp }[] = [
  { name: 'malformed TOML', text: 'version = "v1alpha10"\n[env\nX = 1\n', error: /config\.toml:2:\d+: / },
  { name: 'unterminated string', text: 'version = "v1alpha10\n', error: /config\.toml:1:\d+: / },
  {
    name: 'unknown top-level key',
    text: 'version = "v1alpha10"\ncolour = "red"\n',
    error: /config\.toml:2: colour: unknown key/,
  },
  {
    name: 'unknown nested key',
    text: 'version = "v1alpha10"\n[claude]\nauth_forward = "sync"\nauth_mode = "x"\n',
    error: /config\.toml:4: claude\.auth_mode: unknown key/,
  },
  {
    name: 'wrong type',
    text: 'version = "v1alpha10"\nrole_repo_refresh_ttl_seconds = "soon"\n',
    error: /role_repo_refresh_ttl_seconds: expected number, got string/,
  },
  {
    name: 'bad enum',
    text: 'version = "v1alpha10"\n[codex]\nauth_forward = "magic"\n',
    error: /codex\.auth_forward: must be one of/,
  },
  {
    name: 'reserved env name',
    text: 'version = "v1alpha10"\n[env]\nDOCKER_HOST = "tcp://x"\n',
    error: /env\.DOCKER_HOST: reserved by jackin/,
  },
  {
    name: 'op ref with interpolation',
    text: 'version = "v1alpha10"\n[env]\nK = { op = "op://v/${X}/f" }\n',
    error: /config\.toml:3: env\.K\.op: must not contain/,
  },
  {
    name: 'isolation on a global mount',
    text: 'version = "v1alpha10"\n[docker.mounts]\nm = { src = "/a", dst = "/b", readonly = false, isolation = "worktree" }\n',
    error: /docker\.mounts\.m\.isolation: unknown key/,
  },
  { name: 'too-new version', text: 'version = "v1alpha42"\n', error: /newer than this jackin understands/ },
  { name: 'version of the wrong type', text: 'version = 3\n', error: /version: expected a string/ },
  {
    name: 'a date where a string belongs',
    text: 'version = "v1alpha10"\nrole_host = 2024-01-01\n',
    error: /role_host: expected string, got date/,
  },
];

const WORKSPACE_CASES: readonly { name: string; text: string; error: RegExp }[] = [
  {
    name: 'relative destination',
    text: 'version = "v1alpha9"\nworkdir = "/w"\n[[mounts]]\nsrc = "/a"\ndst = "w"\n',
    error: /mounts\[0\]\.dst: destination 'w' is relative/,
  },
  {
    name: 'duplicate destination',
    text: 'version = "v1alpha9"\nworkdir = "/w"\n[[mounts]]\nsrc = "/a"\ndst = "/w"\n[[mounts]]\nsrc = "/b"\ndst = "/w"\n',
    error: /mounts\[1\]\.dst: destination '\/w' is already used by mounts\[0\]/,
  },
  {
    name: 'unknown mount key',
    text: 'version = "v1alpha9"\nworkdir = "/w"\n[[mounts]]\nsrc = "/a"\ndst = "/w"\nmode = "rw"\n',
    error: /workspaces\/app\.toml:6: mounts\[0\]\.mode: unknown key/,
  },
  {
    name: 'default role not allowed',
    text: 'version = "v1alpha9"\nworkdir = "/w"\nallowed_roles = ["a"]\ndefault_role = "b"\n',
    error: /default_role: 'b' is not in allowed_roles/,
  },
  { name: 'missing workdir', text: 'version = "v1alpha9"\n', error: /workdir: required/ },
  {
    name: 'bad isolation',
    text: 'version = "v1alpha9"\nworkdir = "/w"\n[[mounts]]\nsrc = "/a"\ndst = "/w"\nisolation = "copy"\n',
    error: /isolation: must be one of/,
  },
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jackin-bad-config-'));
  mkdirSync(join(dir, 'workspaces'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function expectUsageError(run: () => Promise<unknown>, error: RegExp): Promise<void> {
  try {
    await run();
    expect.unreachable('expected a JackinError');
  } catch (caught) {
    expect(isJackinError(caught), String(caught)).toBe(true);
    if (!isJackinError(caught)) return;
    expect(caught.exitCode).toBe(2);
    expect(caught.message).toMatch(error);
  }
}

describe('bad config.toml corpus', () => {
  for (const c of CONFIG_CASES) {
    it(`${c.name}: specific error, exit 2, file untouched by a write attempt`, async () => {
      const file = join(dir, 'config.toml');
      writeFileSync(file, c.text);
      const before = statSync(file).mtimeMs;
      const store = new ConfigStore(dir);
      await expectUsageError(() => store.loadConfig(), c.error);
      await expectUsageError(
        () =>
          store.updateConfig((cfg) => ({ next: { ...cfg, role_host: 'example.com' }, result: undefined })),
        c.error,
      );
      expect(readFileSync(file, 'utf8')).toBe(c.text);
      expect(statSync(file).mtimeMs).toBe(before);
    });
  }
});

describe('bad workspace corpus', () => {
  for (const c of WORKSPACE_CASES) {
    it(`${c.name}: specific error, exit 2, file untouched by a write attempt`, async () => {
      const file = join(dir, 'workspaces', 'app.toml');
      writeFileSync(file, c.text);
      const store = new ConfigStore(dir);
      await expectUsageError(() => store.loadWorkspace('app'), c.error);
      await expectUsageError(
        () => store.updateWorkspace('app', (ws) => ({ next: ws, result: undefined })),
        c.error,
      );
      expect(readFileSync(file, 'utf8')).toBe(c.text);
    });
  }
});
