import type { GlobalConfig } from '../config/config-schema.js';
import { runtimeAuthFacts } from '../config/runtimes.js';
import type { RuntimeDefinition } from '../config/runtimes.js';
import { NotFoundError, UsageError } from '../kernel/errors.js';
import type { CredentialPath, InstallRecipe, RuntimeAdapter, StatePath } from './adapter.js';
import { PROMPT_SLOT } from './adapter.js';
import { BUILTIN_ADAPTERS } from './builtin-runtimes.js';

/** The part of config.toml the registry reads: `[runtimes.<name>]`. */
export interface RuntimeConfig {
  readonly runtimes?: GlobalConfig['runtimes'];
}

function homeRelative(path: string): string {
  return path.replace(/^~\//, '').replace(/\/+$/, '');
}

/** `pkg@1.2.3` / `@scope/pkg@1.2.3` → package and version (`latest` when unpinned). */
function splitPackage(spec: string): { package: string; version: string } {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return { package: spec, version: 'latest' };
  return { package: spec.slice(0, at), version: spec.slice(at + 1) };
}

function installOf(definition: RuntimeDefinition): InstallRecipe {
  if (definition.npm_package) return { kind: 'npm', ...splitPackage(definition.npm_package) };
  if (definition.install) return { kind: 'shell', command: definition.install };
  return { kind: 'none' };
}

/** An operator-defined `[runtimes.<name>]` as an adapter: the same fields as a built-in. */
export function adapterFromDefinition(name: string, definition: RuntimeDefinition): RuntimeAdapter {
  const facts = runtimeAuthFacts(name, { [name]: definition });
  const credentials: CredentialPath[] = definition.credential_files.map((file) => ({
    path: homeRelative(file),
    kind: file.endsWith('/') ? 'dir' : 'file',
    role: 'credential',
  }));
  const stateDirs: StatePath[] = definition.state_dirs.map((dir) => ({
    path: homeRelative(dir),
    kind: 'dir',
  }));
  return {
    name,
    displayName: name,
    builtin: false,
    install: installOf(definition),
    interactive: definition.command,
    headless: definition.headless ?? definition.command,
    launchEnv: definition.launch_env ?? {},
    modelFlag: definition.model_flag,
    versionArgv: [definition.command[0] ?? name, '--version'],
    auth: {
      modes: facts?.modes ?? ['ignore'],
      apiKeyEnv: definition.api_key_env,
      oauthTokenEnv: definition.oauth_token_env,
    },
    credentials,
    stateDirs,
  };
}

/**
 * The adapter for a runtime name: a built-in, else `[runtimes.<name>]` from config.toml. Built-ins
 * win over a config entry of the same name (as for auth facts in src/config/runtimes.ts).
 */
export function resolveRuntime(name: string, config: RuntimeConfig): RuntimeAdapter {
  const builtin = BUILTIN_ADAPTERS[name];
  if (builtin) return builtin;
  const definition = config.runtimes?.[name];
  if (definition) return adapterFromDefinition(name, definition);
  const known = listRuntimeNames(config);
  throw new NotFoundError(`unknown runtime '${name}'`, {
    hint: `known runtimes: ${known.join(', ')}; define more in config.toml under [runtimes.<name>]`,
  });
}

/** Every runtime name: built-ins first, then the operator's, each once. */
export function listRuntimeNames(config: RuntimeConfig): string[] {
  const names = Object.keys(BUILTIN_ADAPTERS);
  for (const name of Object.keys(config.runtimes ?? {})) if (!names.includes(name)) names.push(name);
  return names;
}

export interface LaunchOptions {
  /** The role's model for this runtime (manifest `[<runtime>] model`), when it has one. */
  readonly model?: string | undefined;
}

function withModel(adapter: RuntimeAdapter, argv: readonly string[], options: LaunchOptions): string[] {
  if (!options.model || !adapter.modelFlag) return [...argv];
  return [...argv, adapter.modelFlag, options.model];
}

/** The argv of an interactive session, in full-speed mode, with the model when the runtime takes one. */
export function interactiveArgv(adapter: RuntimeAdapter, options: LaunchOptions = {}): string[] {
  return withModel(adapter, adapter.interactive, options);
}

/**
 * The argv that runs one prompt headless: `{prompt}` is substituted, or the prompt is appended
 * when the template has no slot. The model flag goes before the prompt, and before the option that
 * takes it (`--message {prompt}`), so it never splits an option from its value.
 */
export function headlessArgv(adapter: RuntimeAdapter, prompt: string, options: LaunchOptions = {}): string[] {
  if (prompt.length === 0) throw new UsageError('a headless run needs a non-empty prompt');
  const template = adapter.headless;
  const slot = template.findIndex((arg) => arg.includes(PROMPT_SLOT));
  if (slot === -1) return [...withModel(adapter, template, options), prompt];
  const fill = (arg: string): string => arg.split(PROMPT_SLOT).join(prompt);
  const at = slot > 1 && template[slot - 1]!.startsWith('-') ? slot - 1 : slot;
  return [...withModel(adapter, template.slice(0, at), options), ...template.slice(at).map(fill)];
}
