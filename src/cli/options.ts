import { UsageError } from '../kernel/errors.js';

/** Parses a CLI integer flag (> 0) or throws a usage error naming the flag. */
export function parsePositiveInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) <= 0) {
    throw new UsageError(`invalid ${flag} '${text}'`, {
      hint: `${flag} takes a whole number greater than 0`,
    });
  }
  return Number(text);
}

export interface LimitFlags {
  readonly memory?: string | undefined;
  readonly cpus?: string | undefined;
  readonly pids?: string | undefined;
}

/** `--memory/--cpus/--pids` (shared by `load` and `explain`) → validated limits, only the ones given. */
export function parseLimitFlags(flags: LimitFlags): { memory?: string; cpus?: number; pids?: number } {
  const cpus = flags.cpus === undefined ? undefined : Number(flags.cpus);
  const pids = flags.pids === undefined ? undefined : Number(flags.pids);
  if (cpus !== undefined && !(cpus > 0))
    throw new UsageError(`invalid --cpus '${flags.cpus}'`, { hint: 'a positive number, e.g. 2' });
  if (pids !== undefined && !(Number.isInteger(pids) && pids > 0))
    throw new UsageError(`invalid --pids '${flags.pids}'`);
  if (flags.memory !== undefined && !/^\d+(\.\d+)?\s*[kmgt]?b?$/i.test(flags.memory)) {
    throw new UsageError(`invalid --memory '${flags.memory}'`, { hint: 'a size like 512m or 4g' });
  }
  return {
    ...(flags.memory ? { memory: flags.memory } : {}),
    ...(cpus !== undefined ? { cpus } : {}),
    ...(pids !== undefined ? { pids } : {}),
  };
}
