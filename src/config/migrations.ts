import { JackinError } from '../kernel/errors.js';
import { CONFIG_VERSION } from './config-schema.js';
import type { TomlTable } from './toml.js';
import { WORKSPACE_VERSION } from './workspace-schema.js';

/**
 * Forward migrations of config files, one step per version, applied to the raw TOML table before
 * validation. Steps are frozen in time: they never import the current schemas. A file without a
 * `version` is `legacy` (written by the oldest jackin' releases).
 */
type Step = (table: TomlTable) => TomlTable;

export type FileKind = 'config' | 'workspace';

export interface MigrationResult {
  readonly table: TomlTable;
  readonly from: string;
  readonly to: string;
  readonly migrated: boolean;
}

const restamp: Step = (t) => t;

/** v1alpha5: a file-level `op_account` moved onto each op reference as `account`. */
const moveOpAccount: Step = (table) => {
  const account = table.op_account;
  if (typeof account !== 'string') return table;
  const { op_account: _dropped, ...rest } = table;
  return mapEnvTables(rest, (value) => {
    if (typeof value === 'string' && value.startsWith('op://')) return { op: value, account };
    if (isTable(value) && typeof value.op === 'string' && value.account === undefined)
      return { ...value, account };
    return value;
  });
};

/** Ours (config v1alpha10 / workspace v1alpha9): `[limits]` and `trusted_commit` added; shape unchanged. */
const CONFIG_STEPS: readonly (readonly [string, Step])[] = [
  ['v1alpha1', restamp],
  ['v1alpha2', restamp],
  ['v1alpha3', restamp],
  ['v1alpha4', restamp],
  ['v1alpha5', moveOpAccount],
  ['v1alpha6', restamp],
  ['v1alpha7', restamp],
  ['v1alpha8', restamp],
  ['v1alpha9', restamp],
  [CONFIG_VERSION, restamp],
];

const WORKSPACE_STEPS: readonly (readonly [string, Step])[] = [
  ['v1alpha1', restamp],
  ['v1alpha2', restamp],
  ['v1alpha3', restamp],
  ['v1alpha4', restamp],
  ['v1alpha5', moveOpAccount],
  ['v1alpha6', restamp],
  ['v1alpha7', restamp],
  ['v1alpha8', restampIsolation],
  [WORKSPACE_VERSION, restamp],
];

/** v1alpha8: every mount carries `isolation` explicitly (default `shared`). */
function restampIsolation(table: TomlTable): TomlTable {
  if (!Array.isArray(table.mounts)) return table;
  return {
    ...table,
    mounts: table.mounts.map((m: unknown) =>
      isTable(m) && m.isolation === undefined ? { ...m, isolation: 'shared' } : m,
    ),
  };
}

export function currentVersion(kind: FileKind): string {
  return kind === 'config' ? CONFIG_VERSION : WORKSPACE_VERSION;
}

/** Migrates a raw table to the current version; throws a JackinError for unknown or too-new versions. */
export function migrateTable(kind: FileKind, input: TomlTable, file: string): MigrationResult {
  const steps = kind === 'config' ? CONFIG_STEPS : WORKSPACE_STEPS;
  const to = currentVersion(kind);
  const raw = input.version;
  if (raw !== undefined && typeof raw !== 'string') {
    throw new JackinError('invalid_config', `${file}: version: expected a string like "${to}"`);
  }
  const from = raw ?? 'legacy';
  let start = 0;
  if (raw !== undefined) {
    const index = steps.findIndex(([version]) => version === raw);
    if (index < 0) {
      const newer = compareAlpha(raw, to) > 0;
      throw new JackinError(
        'invalid_config',
        `${file}: version: ${newer ? `'${raw}' is newer than this jackin understands (up to ${to})` : `unknown version '${raw}'`}`,
        {
          hint: newer ? 'upgrade jackin' : `set version = "${to}"`,
        },
      );
    }
    start = index + 1;
  }
  let table: TomlTable = { ...input };
  for (const [version, step] of steps.slice(start)) table = { ...step(table), version };
  // keep `version` first in the written file
  const { version, ...rest } = table;
  return { table: { version, ...rest }, from, to, migrated: from !== to };
}

/** Orders `vNalphaM` stamps; other shapes sort as equal. */
export function compareAlpha(a: string, b: string): number {
  const parse = (v: string): [number, number] | undefined => {
    const m = /^v(\d+)alpha(\d+)$/.exec(v);
    return m ? [Number(m[1]), Number(m[2])] : undefined;
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return 0;
  return x[0] - y[0] || x[1] - y[1];
}

function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Applies `fn` to every value of every env map: `env`, `<agent>.env`, `roles.*.env`, `roles.*.<agent>.env`. */
function mapEnvTables(table: TomlTable, fn: (value: unknown) => unknown): TomlTable {
  const mapEnv = (env: unknown): unknown =>
    isTable(env) ? Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fn(v)])) : env;
  const walk = (node: TomlTable, depth: number): TomlTable => {
    const out: TomlTable = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'env') out[key] = mapEnv(value);
      else if (isTable(value) && depth < 3 && key !== 'docker') out[key] = walk(value, depth + 1);
      else out[key] = value;
    }
    return out;
  };
  return walk(table, 0);
}
