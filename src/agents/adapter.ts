import type { AuthMode } from '../config/runtimes.js';

/**
 * How a runtime gets into the derived image. The images layer consumes the same shape (it may not
 * import src/agents; TypeScript checks the two structurally where the engine passes one to the other).
 */
export type InstallRecipe =
  | {
      readonly kind: 'npm';
      readonly package: string;
      /** An exact version: it is part of the image recipe hash and of its labels. */
      readonly version: string;
      /** A Node.js the package needs beyond the construct's, from npm's `node` package. */
      readonly node?: { readonly version: string } | undefined;
    }
  | {
      /** The vendor's install script, fetched at build time; fails the build with a clear message. */
      readonly kind: 'script';
      readonly url: string;
      /** Directory (under /home/agent) the script puts the binary in; added to PATH. */
      readonly binDir: string;
    }
  | { readonly kind: 'shell'; readonly command: string }
  | { readonly kind: 'none' };

/** A host credential a runtime keeps in its home; `sync` copies it into the instance's home. */
export interface CredentialPath {
  /** Path relative to the home directory (host `~` and container `/home/agent` alike). */
  readonly path: string;
  readonly kind: 'file' | 'dir';
  /**
   * `credential`: copied at every launch, removed by api_key/oauth_token/ignore.
   * `seed`: account/onboarding state, copied only when the instance has none (never removed).
   */
  readonly role: 'credential' | 'seed';
}

/** A path in the runtime's home persisted per instance (bind-mounted over /home/agent/<path>). */
export interface StatePath {
  readonly path: string;
  readonly kind: 'dir' | 'file';
  /** Initial content of a `file` state path (a bind mount needs the file to exist). */
  readonly initial?: string;
}

/** Everything jackin knows about an agent CLI, as data: install, launch, auth, state, model. */
export interface RuntimeAdapter {
  readonly name: string;
  readonly displayName: string;
  readonly builtin: boolean;
  readonly install: InstallRecipe;
  /** Interactive argv, already in full-speed mode (the container is the boundary). */
  readonly interactive: readonly string[];
  /** Headless argv for one prompt; `{prompt}` marks where it goes (appended when absent). */
  readonly headless: readonly string[];
  /** Env set for every session of this runtime (not secret, e.g. opencode's permission config). */
  readonly launchEnv: Readonly<Record<string, string>>;
  /** Flag that selects a model (`--model`, `-m`); undefined when the runtime has none. */
  readonly modelFlag: string | undefined;
  /** Argv that prints the version (image checks, doctor). */
  readonly versionArgv: readonly string[];
  readonly auth: {
    readonly modes: readonly AuthMode[];
    readonly apiKeyEnv: string | undefined;
    readonly oauthTokenEnv: string | undefined;
  };
  readonly credentials: readonly CredentialPath[];
  readonly stateDirs: readonly StatePath[];
  /**
   * The runtime's own hook mechanism, used as status evidence (src/agents/status/hooks.ts):
   * `claude-settings` merges hook entries into the claude settings file at this home path.
   */
  readonly statusHooks?: { readonly kind: 'claude-settings'; readonly settings: string } | undefined;
}

export const PROMPT_SLOT = '{prompt}';
