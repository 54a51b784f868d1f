import { BUILTIN_RUNTIME_AUTH } from '../config/runtimes.js';
import type { RuntimeAuthFacts } from '../config/runtimes.js';
import type { RuntimeAdapter } from './adapter.js';
import { PROMPT_SLOT } from './adapter.js';

/**
 * Pinned versions installed into derived images (checked with `npm view`; amp's pin is one whose
 * `@ampcode/cli-linux-x64` binary package exists). Bumping one rebuilds images through the recipe hash.
 */
export const PINNED = {
  node: '22.23.3',
  claude: '2.1.332',
  codex: '0.169.0',
  amp: '0.0.1790142911-g7618fb',
  opencode: '1.18.33',
} as const;

function auth(name: string): RuntimeAdapter['auth'] {
  const facts: RuntimeAuthFacts | undefined = BUILTIN_RUNTIME_AUTH[name];
  if (!facts) throw new Error(`no built-in auth facts for ${name}`);
  return { modes: facts.modes, apiKeyEnv: facts.apiKeyEnv, oauthTokenEnv: facts.oauthTokenEnv };
}

const claude: RuntimeAdapter = {
  name: 'claude',
  displayName: 'Claude Code',
  builtin: true,
  install: {
    kind: 'npm',
    package: '@anthropic-ai/claude-code',
    version: PINNED.claude,
    node: { version: PINNED.node },
  },
  // The settings flag pre-accepts the bypass-permissions warning inside the container only.
  interactive: [
    'claude',
    '--settings',
    '{"skipDangerousModePermissionPrompt":true}',
    '--dangerously-skip-permissions',
  ],
  headless: ['claude', '--dangerously-skip-permissions', '-p', PROMPT_SLOT],
  // The image pins the version (no self-update). IS_SANDBOX lets the full-speed flag run when the
  // host operator, hence the container user, is root: the container is the sandbox.
  launchEnv: { DISABLE_AUTOUPDATER: '1', IS_SANDBOX: '1' },
  modelFlag: '--model',
  versionArgv: ['claude', '--version'],
  auth: auth('claude'),
  credentials: [
    { path: '.claude/.credentials.json', kind: 'file', role: 'credential' },
    { path: '.claude.json', kind: 'file', role: 'seed' },
  ],
  stateDirs: [
    { path: '.claude', kind: 'dir' },
    { path: '.claude.json', kind: 'file', initial: '{}\n' },
  ],
  // Claude's hooks report prompts, tool calls, permission prompts and turn ends (status evidence).
  statusHooks: { kind: 'claude-settings', settings: '.claude/settings.json' },
};

const codex: RuntimeAdapter = {
  name: 'codex',
  displayName: 'Codex',
  builtin: true,
  install: { kind: 'npm', package: '@openai/codex', version: PINNED.codex },
  interactive: ['codex', '--dangerously-bypass-approvals-and-sandbox'],
  headless: [
    'codex',
    'exec',
    '--dangerously-bypass-approvals-and-sandbox',
    '--skip-git-repo-check',
    PROMPT_SLOT,
  ],
  launchEnv: {},
  modelFlag: '-m',
  versionArgv: ['codex', '--version'],
  auth: auth('codex'),
  credentials: [{ path: '.codex/auth.json', kind: 'file', role: 'credential' }],
  stateDirs: [{ path: '.codex', kind: 'dir' }],
};

const amp: RuntimeAdapter = {
  name: 'amp',
  displayName: 'Amp',
  builtin: true,
  install: { kind: 'npm', package: '@ampcode/cli', version: PINNED.amp },
  interactive: ['amp', '--dangerously-allow-all'],
  headless: ['amp', '--dangerously-allow-all', '-x', PROMPT_SLOT],
  launchEnv: {},
  modelFlag: undefined,
  versionArgv: ['amp', '--version'],
  auth: auth('amp'),
  credentials: [{ path: '.local/share/amp/secrets.json', kind: 'file', role: 'credential' }],
  stateDirs: [
    { path: '.local/share/amp', kind: 'dir' },
    { path: '.config/amp', kind: 'dir' },
  ],
};

const kimi: RuntimeAdapter = {
  name: 'kimi',
  displayName: 'Kimi Code',
  builtin: true,
  // No npm package: the vendor's script (unreachable from jackin's CI, so unverified there).
  install: { kind: 'script', url: 'https://code.kimi.com/kimi-code/install.sh', binDir: '.kimi-code/bin' },
  interactive: ['kimi', '--yolo'],
  headless: ['kimi', '--yolo', '--print', '-c', PROMPT_SLOT],
  launchEnv: {},
  modelFlag: '--model',
  versionArgv: ['kimi', '--version'],
  auth: auth('kimi'),
  credentials: [
    { path: '.kimi-code/config.toml', kind: 'file', role: 'credential' },
    { path: '.kimi-code/credentials', kind: 'dir', role: 'credential' },
    { path: '.kimi-code/device_id', kind: 'file', role: 'credential' },
  ],
  stateDirs: [{ path: '.kimi-code', kind: 'dir' }],
};

const opencode: RuntimeAdapter = {
  name: 'opencode',
  displayName: 'OpenCode',
  builtin: true,
  install: { kind: 'npm', package: 'opencode-ai', version: PINNED.opencode },
  // opencode has no full-speed flag: permissions are allowed through its inline config.
  interactive: ['opencode'],
  headless: ['opencode', 'run', PROMPT_SLOT],
  launchEnv: { OPENCODE_CONFIG_CONTENT: '{"permission":"allow"}' },
  modelFlag: '-m',
  versionArgv: ['opencode', '--version'],
  auth: auth('opencode'),
  credentials: [{ path: '.local/share/opencode/auth.json', kind: 'file', role: 'credential' }],
  stateDirs: [
    { path: '.local/share/opencode', kind: 'dir' },
    { path: '.config/opencode', kind: 'dir' },
  ],
};

/** The built-in runtimes jackin installs and launches (SPEC "Agents and auth"). */
export const BUILTIN_ADAPTERS: Readonly<Record<string, RuntimeAdapter>> = {
  claude,
  codex,
  amp,
  kimi,
  opencode,
};
