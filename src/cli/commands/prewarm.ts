import type { Command } from 'commander';
import { UsageError } from '../../kernel/errors.js';
import type { CliContext } from '../context.js';
import { instanceDeps, reconcileQuietly } from '../instance-session.js';
import { writeJson, writeLine } from '../io.js';
import { parseLimitFlags } from '../options.js';

interface PrewarmOptions {
  count?: string;
  memory?: string;
  cpus?: string;
  pids?: string;
  json?: boolean;
}

function parseCount(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text.trim()) || Number(text) > 16)
    throw new UsageError(`invalid --count '${text}'`, { hint: '--count takes a whole number from 0 to 16' });
  return Number(text);
}

/**
 * `jackin prewarm [--count N]`: keeps N DinD sidecars ready (network, certs volume, sidecar
 * answering over TLS) so the next `jackin load` adopts one instead of waiting for dockerd (ADR 0020).
 */
export function registerPrewarm(program: Command, context: CliContext): void {
  program
    .command('prewarm')
    .description(
      'keep N DinD sidecars ready so the next `jackin load` skips the daemon start (`--count 0` removes them)',
    )
    .option('--count <n>', 'how many to keep ready (default: config [prewarm] sidecars, else 1)')
    .option('--memory <size>', 'memory limit of the prewarmed sidecars (default: config [limits])')
    .option('--cpus <n>', 'CPU limit of the prewarmed sidecars')
    .option('--pids <n>', 'process limit of the prewarmed sidecars')
    .option('--json', 'print {"prewarmed":[...],"kept":[...],"discarded":[...]}')
    .action(async (options: PrewarmOptions) => {
      const flags = parseLimitFlags(options);
      const asked = options.count === undefined ? undefined : parseCount(options.count, 0);
      const [{ resourceLimits }, { ensurePrewarmed }] = await Promise.all([
        import('../../engine/instances/specs.js'),
        import('../../engine/instances/prewarm.js'),
      ]);
      const deps = await instanceDeps(context, { quiet: options.json === true, prompts: false });
      const config = (await deps.files.loadConfig()).value;
      const configured = config.prewarm?.sidecars;
      const count = asked ?? (configured !== undefined && configured > 0 ? configured : 1);
      await reconcileQuietly(context, deps);
      const base = config.limits ?? {};
      const memory = flags.memory ?? base.memory;
      const cpus = flags.cpus ?? base.cpus;
      const pids = flags.pids ?? base.pids;
      const limits = resourceLimits({
        memory: memory !== undefined ? { value: memory } : null,
        cpus: cpus !== undefined ? { value: cpus } : null,
        pids: pids !== undefined ? { value: pids } : null,
      });
      const pool = await ensurePrewarmed(deps, count, limits);
      if (options.json) {
        writeJson(context.io.stdout, {
          prewarmed: pool.started.map((p) => ({
            id: p.id,
            sidecar: p.sidecar,
            network: p.network,
            ready_ms: p.readyMs,
          })),
          kept: pool.kept,
          discarded: pool.discarded,
        });
        return;
      }
      for (const p of pool.started)
        writeLine(context.io.stdout, `${p.id}  ${p.sidecar}  ready in ${p.readyMs} ms`);
      for (const id of pool.kept) writeLine(context.io.stdout, `${id}  already ready`);
      for (const d of pool.discarded) writeLine(context.io.stdout, `${d.id}  discarded (${d.reason})`);
      if (pool.started.length + pool.kept.length + pool.discarded.length === 0)
        writeLine(context.io.stdout, 'no prewarmed sidecar');
    });
}
