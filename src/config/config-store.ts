import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { JackinError, NotFoundError } from '../kernel/errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { emptyConfig, globalConfigSchema } from './config-schema.js';
import type { GlobalConfig } from './config-schema.js';
import { withLock } from './file-lock.js';
import { migrateTable } from './migrations.js';
import type { FileKind } from './migrations.js';
import { parseToml, stringifyToml } from './toml.js';
import type { TomlTable } from './toml.js';
import { locateKey } from './key-locator.js';
import { pathText } from './issues.js';
import { parseOrThrow, problemsError } from './validate.js';
import { workspaceNameSchema, workspaceRuntimeTables, workspaceSchema } from './workspace-schema.js';
import type { Workspace } from './workspace-schema.js';

export interface LoadedFile<T> {
  readonly path: string;
  readonly value: T;
  readonly exists: boolean;
  /** The version the file was at on disk when it had to be migrated (in memory) on load. */
  readonly migratedFrom: string | undefined;
}

/** Called after the new file is on disk and before the lock is released; throwing rolls the file back. */
export type AfterWrite<T> = (change: { before: T | undefined; after: T | undefined }) => Promise<void>;

/**
 * The last config.toml decoded, per path, with the text it came from: the file is read on every
 * load, and parsed, migrated and validated again only when its text changed (a launch loads it
 * five times).
 */
const lastDecodedConfig = new Map<
  string,
  { readonly text: string; readonly value: GlobalConfig; readonly migratedFrom: string | undefined }
>();

/**
 * `config.toml` and `workspaces/<name>.toml` under the config dir. Loads migrate in memory only;
 * every update re-reads the file under its lock, so concurrent writers never lose an edit.
 */
export class ConfigStore {
  constructor(readonly configDir: string) {}

  get configPath(): string {
    return join(this.configDir, 'config.toml');
  }

  get workspacesDir(): string {
    return join(this.configDir, 'workspaces');
  }

  workspacePath(name: string): string {
    return join(this.workspacesDir, `${checkWorkspaceName(name)}.toml`);
  }

  async loadConfig(): Promise<LoadedFile<GlobalConfig>> {
    const text = await readText(this.configPath);
    if (text === undefined)
      return { path: this.configPath, value: emptyConfig(), exists: false, migratedFrom: undefined };
    let decoded = lastDecodedConfig.get(this.configPath);
    if (decoded?.text !== text) {
      decoded = {
        text,
        ...decode('config', text, this.configPath, (t) =>
          parseOrThrow(globalConfigSchema, t, this.configPath, text),
        ),
      };
      lastDecodedConfig.set(this.configPath, decoded);
    }
    // Every caller gets its own copy: a caller that edits its value never changes another's.
    const { value, migratedFrom } = decoded;
    return { path: this.configPath, value: structuredClone(value), exists: true, migratedFrom };
  }

  async loadWorkspace(name: string): Promise<LoadedFile<Workspace>> {
    const path = this.workspacePath(name);
    const text = await readText(path);
    if (text === undefined) {
      throw new NotFoundError(`no workspace named '${name}'`, {
        hint: 'see `jackin workspace list`, or create it with `jackin workspace create`',
      });
    }
    const { value, migratedFrom } = decode('workspace', text, path, (t) =>
      parseOrThrow(workspaceSchema, t, path, text),
    );
    await this.checkRuntimeTables(value, path, text);
    return { path, value, exists: true, migratedFrom };
  }

  /**
   * A workspace's `[<runtime>]` auth tables must name runtimes config.toml declares (the workspace
   * schema alone cannot know them). config.toml is read only when such a table exists.
   */
  private async checkRuntimeTables(ws: Workspace, path: string, text: string): Promise<void> {
    const tables = workspaceRuntimeTables(ws);
    if (tables.length === 0) return;
    const declared = new Set(Object.keys((await this.loadConfig()).value.runtimes ?? {}));
    const problems = tables
      .filter((table) => !declared.has(table.runtime))
      .map((table) => ({
        file: path,
        line: locateKey(text, table.path),
        path: pathText(table.path),
        message: `unknown key (no runtime '${table.runtime}' is declared under [runtimes] in ${this.configPath})`,
        severity: 'error' as const,
      }));
    if (problems.length > 0) throw problemsError(problems);
  }

  async workspaceExists(name: string): Promise<boolean> {
    return (await readText(this.workspacePath(name))) !== undefined;
  }

  async listWorkspaceNames(): Promise<string[]> {
    const entries = await readdir(this.workspacesDir).catch(() => [] as string[]);
    return entries
      .filter((f) => f.endsWith('.toml') && !f.startsWith('.'))
      .map((f) => f.slice(0, -'.toml'.length))
      .filter((n) => workspaceNameSchema.safeParse(n).success)
      .sort();
  }

  /** Read-modify-write of config.toml under its lock. */
  async updateConfig<R>(
    mutate: (
      current: GlobalConfig,
    ) => Promise<{ next: GlobalConfig; result: R }> | { next: GlobalConfig; result: R },
    after?: AfterWrite<GlobalConfig>,
  ): Promise<R> {
    return withLock(this.configPath, async () => {
      const loaded = await this.loadConfig();
      const { next, result } = await mutate(structuredClone(loaded.value));
      const validated = parseOrThrow(globalConfigSchema, next, this.configPath, '');
      await this.commit(this.configPath, loaded.exists ? loaded.value : undefined, validated, after);
      return result;
    });
  }

  /** Read-modify-write of one workspace file under its lock; `current` is undefined when it does not exist. */
  async updateWorkspace<R>(
    name: string,
    mutate: (
      current: Workspace | undefined,
    ) => Promise<{ next: Workspace | undefined; result: R }> | { next: Workspace | undefined; result: R },
    after?: AfterWrite<Workspace>,
  ): Promise<R> {
    const path = this.workspacePath(name);
    return withLock(path, async () => {
      const current = (await this.workspaceExists(name)) ? (await this.loadWorkspace(name)).value : undefined;
      const { next, result } = await mutate(current === undefined ? undefined : structuredClone(current));
      const validated = next === undefined ? undefined : parseOrThrow(workspaceSchema, next, path, '');
      if (validated) await this.checkRuntimeTables(validated, path, '');
      await this.commit(path, current, validated, after);
      return result;
    });
  }

  private async commit<T extends TomlTable>(
    path: string,
    before: T | undefined,
    after: T | undefined,
    hook: AfterWrite<T> | undefined,
  ): Promise<void> {
    const previous = await readText(path);
    const text = after === undefined ? undefined : stringifyToml(after);
    if (text === previous) return;
    if (text === undefined) await rm(path, { force: true });
    else await writeFileAtomic(path, text);
    if (!hook) return;
    try {
      await hook({ before, after });
    } catch (error) {
      // no event, no change: put the old file back
      if (previous === undefined) await rm(path, { force: true });
      else await writeFileAtomic(path, previous);
      throw error;
    }
  }
}

function checkWorkspaceName(name: string): string {
  if (!workspaceNameSchema.safeParse(name).success) {
    throw new JackinError('invalid_input', `invalid workspace name '${name}'`, {
      hint: 'use letters, digits, dots, dashes and underscores (max 64), starting with a letter or digit',
    });
  }
  return name;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new JackinError('invalid_config', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function decode<T>(
  kind: FileKind,
  text: string,
  path: string,
  validate: (table: TomlTable) => T,
): { value: T; migratedFrom: string | undefined } {
  const table = parseToml(text, path);
  const migration = migrateTable(kind, table, path);
  return { value: validate(migration.table), migratedFrom: migration.migrated ? migration.from : undefined };
}
