import type { RuntimeDefinition } from '../../config/runtimes.js';
import { UsageError } from '../../kernel/errors.js';

const PROMPT = '{prompt}';

/** Headless (non-interactive, full-permission) argv of the built-in runtimes; `{prompt}` is replaced. */
export const BUILTIN_HEADLESS: Readonly<Record<string, readonly string[]>> = {
  claude: ['claude', '--dangerously-skip-permissions', '-p', PROMPT],
  codex: ['codex', 'exec', '--dangerously-bypass-approvals-and-sandbox', PROMPT],
  amp: ['amp', '--dangerously-allow-all', '-x', PROMPT],
  kimi: ['kimi', '--yolo', '--print', '-c', PROMPT],
  opencode: ['opencode', 'run', PROMPT],
};

/**
 * The argv that runs `runtime` headless on `prompt`: a runtime defined in config uses its `headless`
 * command (else its `command`); `{prompt}` is substituted, or the prompt is appended when absent.
 */
export function headlessArgv(
  runtime: string,
  prompt: string,
  defined: Readonly<Record<string, RuntimeDefinition>>,
): string[] {
  const custom = defined[runtime];
  const template = custom ? (custom.headless ?? custom.command) : BUILTIN_HEADLESS[runtime];
  if (!template) {
    throw new UsageError(`agent '${runtime}' has no headless command`, {
      hint: `set [runtimes.${runtime}] headless = [...] in config.toml`,
    });
  }
  const hasSlot = template.some((arg) => arg.includes(PROMPT));
  const argv = template.map((arg) => arg.split(PROMPT).join(prompt));
  return hasSlot ? argv : [...argv, prompt];
}
