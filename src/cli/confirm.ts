import { createInterface } from 'node:readline/promises';
import { JackinError } from '../kernel/errors.js';
import type { CliIo } from './io.js';
import { writeLine } from './io.js';

/** Asks a yes/no question on the terminal (default No). Never called without a TTY on stdin. */
export type Confirm = (question: string) => Promise<boolean>;

export function terminalConfirm(io: CliIo): Confirm | undefined {
  if (!io.stdinIsTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: io.stderr });
    try {
      const answer = await rl.question(`${question} [y/N] `);
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
}

/** Sensitive mounts need explicit confirmation: `--yes`, or a prompt on a TTY; refused otherwise. */
export async function confirmSensitiveMounts(
  mounts: readonly { configuredSrc: string; dst: string; sensitive: string | undefined }[],
  options: { yes: boolean; confirm: Confirm | undefined; io: CliIo },
): Promise<void> {
  const flagged = mounts.filter((m) => m.sensitive !== undefined);
  if (flagged.length === 0 || options.yes) return;
  const list = flagged.map((m) => `${m.configuredSrc} (${m.sensitive})`).join(', ');
  if (!options.confirm) {
    throw new JackinError('sensitive_mount', `sensitive mount needs confirmation: ${list}`, {
      hint: 're-run with --yes to confirm, or drop the mount',
    });
  }
  for (const m of flagged)
    writeLine(options.io.stderr, `warning: ${m.configuredSrc} → ${m.dst}: ${m.sensitive}`);
  if (!(await options.confirm('Continue with these mounts?'))) {
    throw new JackinError('sensitive_mount', `sensitive mount not confirmed: ${list}`);
  }
}
