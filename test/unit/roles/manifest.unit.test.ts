import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderProblem } from '../../../src/config/issues.js';
import { builtinRolesDir } from '../../../src/roles/builtin.js';
import { checkFinalFrom } from '../../../src/roles/dockerfile.js';
import { validateRoleDir } from '../../../src/roles/manifest-validate.js';
import { manifestError } from '../../../src/roles/resolve-role.js';

const GOOD_DOCKERFILE = 'ARG JACKIN_CONSTRUCT_IMAGE=jackin/construct:0.1\nFROM ${JACKIN_CONSTRUCT_IMAGE}\n';

/** A role written for jackin' (the Rust tool) at v1alpha6: must load unchanged. */
const JACKIN_PRIME_ROLE = `version = "v1alpha6"
dockerfile = "Dockerfile"
published_image = "docker.io/acme/jackin-backend:latest"
agents = ["claude", "codex", "opencode"]

[identity]
name = "Backend Engineer"

[claude]
model = "sonnet"
plugins = ["code-review@claude-plugins-official"]
[[claude.marketplaces]]
source = "acme/acme-marketplace"
sparse = ["plugins", ".claude-plugin"]
[claude.providers.zai]
model = "glm-5.1"

[codex]
model = "gpt-5"

[opencode]
model = "zai-coding-plan/glm-5.1"

[hooks]
setup_once = "hooks/setup-once.sh"

[docker]
min_profile = "standard"
dind = "rootless"

[env.PROJECT]
interactive = true
options = ["api", "worker"]
prompt = "Which project?"

[env.BRANCH]
interactive = true
depends_on = ["env.PROJECT"]
prompt = "Branch for \${env.PROJECT}:"
default = "feature/\${env.PROJECT}"
`;

interface Case {
  readonly name: string;
  readonly manifest: string;
  readonly files?: Record<string, string>;
  readonly symlinks?: Record<string, string>;
  readonly error: RegExp;
}

const base = 'version = "v1alpha7"\ndockerfile = "Dockerfile"\nagents = ["claude"]\n';
const CASES: readonly Case[] = [
  {
    name: 'malformed TOML',
    manifest: 'version = "v1alpha7"\n[claude\n',
    error: /jackin\.role\.toml:2:\d+: /,
  },
  {
    name: 'unknown key',
    manifest: `${base}colour = "red"\n`,
    error: /jackin\.role\.toml:4: colour: unknown key/,
  },
  {
    name: 'unknown key in an agent table',
    manifest: `${base}[claude]\nmodle = "x"\n`,
    error: /:5: claude\.modle: unknown key/,
  },
  {
    name: 'wrong type',
    manifest: 'version = "v1alpha7"\nagents = "claude"\n',
    error: /agents: expected array, got string/,
  },
  {
    name: 'unknown agent',
    manifest: 'version = "v1alpha7"\nagents = ["clippy"]\n',
    error: /agents\.0: unknown agent 'clippy'/,
  },
  {
    name: 'depends_on cycle',
    manifest: `${base}[env.A]\ninteractive = true\ndepends_on = ["env.B"]\n[env.B]\ninteractive = true\ndepends_on = ["env.A"]\n`,
    error: /depends_on cycle: A → B → A/,
  },
  {
    name: 'self dependency',
    manifest: `${base}[env.A]\ninteractive = true\ndepends_on = ["env.A"]\n`,
    error: /cannot depend on itself/,
  },
  {
    name: 'interpolation not in depends_on',
    manifest: `${base}[env.A]\ndefault = "x"\n[env.B]\ndefault = "\${env.A}-y"\n`,
    error: /env\.B\.default: \$\{env\.A\} must also be listed in depends_on/,
  },
  {
    name: 'interpolation of an undeclared var',
    manifest: `${base}[env.B]\ninteractive = true\nprompt = "\${env.NOPE}?"\n`,
    error: /undeclared variable/,
  },
  {
    name: 'non-interactive without default',
    manifest: `${base}[env.A]\nprompt = "x"\n`,
    error: /env\.A: a non-interactive variable needs a default/,
  },
  {
    name: 'options without interactive',
    manifest: `${base}[env.A]\ndefault = "a"\noptions = ["a"]\n`,
    error: /options require interactive/,
  },
  {
    name: 'reserved env name',
    manifest: `${base}[env.DOCKER_HOST]\ndefault = "x"\n`,
    error: /env\.DOCKER_HOST: reserved by jackin/,
  },
  {
    name: 'hook escaping the repo',
    manifest: `${base}[hooks]\nsource = "../outside.sh"\n`,
    error: /hooks\.source: '\.\.\/outside\.sh' escapes the role repo/,
  },
  {
    name: 'absolute hook path',
    manifest: `${base}[hooks]\npreflight = "/etc/passwd"\n`,
    error: /must be relative/,
  },
  {
    name: 'symlinked hook',
    manifest: `${base}[hooks]\nsetup_once = "hooks/setup.sh"\n`,
    files: { 'real.sh': 'echo hi\n' },
    symlinks: { 'hooks/setup.sh': 'real.sh' },
    error: /hooks\.setup_once: 'hooks\/setup\.sh' is a symlink/,
  },
  { name: 'missing hook', manifest: `${base}[hooks]\nsource = "hooks/none.sh"\n`, error: /does not exist/ },
  {
    name: 'empty hook',
    manifest: `${base}[hooks]\nsource = "hooks/empty.sh"\n`,
    files: { 'hooks/empty.sh': '' },
    error: /is empty/,
  },
  {
    name: 'bad FROM',
    manifest: base,
    files: { Dockerfile: 'FROM debian:trixie\n' },
    error: /Dockerfile:1: final FROM 'debian:trixie' is not the construct/,
  },
  {
    name: 'construct not last',
    manifest: base,
    files: { Dockerfile: 'FROM jackin/construct:0.1 AS b\nFROM alpine\n' },
    error: /Dockerfile:2: final FROM 'alpine'/,
  },
  {
    name: "floating jackin' construct",
    manifest: base,
    files: { Dockerfile: 'FROM projectjackin/construct:trixie\n' },
    error: /must pin a construct version/,
  },
  {
    name: '--platform on FROM',
    manifest: base,
    files: { Dockerfile: 'FROM --platform=linux/amd64 jackin/construct:0.1\n' },
    error: /must not set --platform/,
  },
  {
    name: 'feature newer than the stamp',
    manifest: 'version = "v1alpha2"\nagents = ["kimi"]\n[kimi]\n',
    error: /the kimi agent needs version v1alpha4 or later.*jackin role migrate/,
  },
  {
    name: 'manifest too new',
    manifest: 'version = "v1alpha9"\n',
    error: /this jackin understands up to v1alpha7; upgrade jackin/,
  },
  { name: 'missing manifest', manifest: '', error: /missing jackin\.role\.toml/ },
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jackin-role-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeRole(c: Pick<Case, 'manifest' | 'files' | 'symlinks'>): void {
  if (c.manifest) writeFileSync(join(dir, 'jackin.role.toml'), c.manifest);
  const files = { Dockerfile: GOOD_DOCKERFILE, ...(c.files ?? {}) };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  for (const [link, target] of Object.entries(c.symlinks ?? {})) {
    mkdirSync(dirname(join(dir, link)), { recursive: true });
    symlinkSync(join(dir, target), join(dir, link));
  }
}

describe('bad role corpus', () => {
  for (const c of CASES) {
    it(`${c.name}: its specific error, exit 2, manifest untouched`, async () => {
      writeRole(c);
      const result = await validateRoleDir(dir);
      expect(result.manifest).toBeUndefined();
      const rendered = result.problems.map(renderProblem).join('\n');
      expect(rendered).toMatch(c.error);
      expect(manifestError(result).exitCode).toBe(2);
      if (c.manifest) expect(readFileSync(join(dir, 'jackin.role.toml'), 'utf8')).toBe(c.manifest);
    });
  }
});

describe('role validation', () => {
  it('reports every problem at once, with lines', async () => {
    writeRole({
      manifest: `version = "v1alpha7"\nagents = ["claude", "nope"]\ncolour = 1\n[env.A]\nprompt = "x"\n[hooks]\nsource = "../x.sh"\n`,
      files: { Dockerfile: 'FROM ubuntu\n' },
    });
    const result = await validateRoleDir(dir);
    const errors = result.problems.filter((p) => p.severity === 'error').map(renderProblem);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/:3: colour: unknown key/),
        expect.stringMatching(/:2: agents\.1: unknown agent 'nope'/),
        expect.stringMatching(/:4: env\.A: a non-interactive variable needs a default/),
        expect.stringMatching(/:7: hooks\.source: .* escapes the role repo/),
        expect.stringMatching(/Dockerfile:1: final FROM 'ubuntu'/),
      ]),
    );
    expect(manifestError(result).message).toMatch(/and 4 more/);
  });

  it("loads a jackin' v1alpha6 role unchanged, mapping its construct and reporting ignored fields", async () => {
    writeRole({
      manifest: JACKIN_PRIME_ROLE,
      files: {
        Dockerfile: 'FROM projectjackin/construct:0.35-trixie\n',
        'hooks/setup-once.sh': 'echo once\n',
      },
    });
    const result = await validateRoleDir(dir);
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.manifest?.agents).toEqual(['claude', 'codex', 'opencode']);
    expect(result.from).toMatchObject({ ok: true, mapped: true });
    expect(result.problems.map(renderProblem).join('\n')).toMatch(/published_image: ignored/);
    expect(result.problems.map(renderProblem).join('\n')).toMatch(
      /docker: ignored: every instance gets a private DinD/,
    );
  });

  it('accepts the legacy file name jackin.agent.toml with a warning', async () => {
    writeFileSync(join(dir, 'jackin.agent.toml'), 'version = "v1alpha4"\n');
    writeFileSync(
      join(dir, 'Dockerfile'),
      'FROM projectjackin/construct:0.30-trixie@sha256:' + 'a'.repeat(64) + '\n',
    );
    const result = await validateRoleDir(dir);
    expect(result.manifest).toBeDefined();
    expect(result.problems[0]?.message).toMatch(/legacy file name/);
  });

  it('the built-in agent-smith role validates', async () => {
    const result = await validateRoleDir(join(builtinRolesDir(), 'agent-smith'));
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('final FROM: accepts jackin/construct, the build arg, and continuation lines', () => {
    expect(checkFinalFrom('FROM jackin/construct:0.1\n').ok).toBe(true);
    expect(checkFinalFrom('ARG X=1\nFROM \\\n  $JACKIN_CONSTRUCT_IMAGE\nRUN true\n').ok).toBe(true);
    expect(checkFinalFrom('# nothing\n')).toMatchObject({ ok: false, message: 'has no FROM instruction' });
  });
});
