import type { HookRecord } from './hooks.js';
import type { Rule, RulePack } from './rule-pack.js';

/** Public agent states (jackin-facts §9); `unknown` means no reliable evidence. */
export type AgentState = 'working' | 'blocked' | 'idle' | 'done' | 'unknown';

/** What was seen of one tmux pane. */
export interface PaneSnapshot {
  /** The visible screen (`tmux capture-pane -p -J`). */
  readonly screen: string;
  /** `#{pane_current_command}`: the pane's foreground process. */
  readonly foreground?: string | undefined;
  /** `#{pane_dead}`: the pane's process has exited. */
  readonly exited?: boolean | undefined;
  /** `#{pane_id}` (`%0`): tells this pane's hook records from other sessions'. */
  readonly paneId?: string | undefined;
  /** Runtime hook records for this pane written since the previous snapshot, oldest first. */
  readonly hooks?: readonly HookRecord[] | undefined;
}

export interface Classification {
  readonly state: AgentState;
  readonly source: 'visible_screen' | 'foreground_process' | 'none';
  readonly rule?: string;
  readonly reason?: string;
}

// CSI, OSC (BEL or ST terminated) and two-byte escapes; captures are normally plain text already.
const ANSI = new RegExp(
  String.raw`\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])`,
  'g',
);

/** Screen text without escape sequences or trailing blanks. */
export function normalizeScreen(screen: string): string[] {
  return screen
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+$/, ''));
}

function region(lines: readonly string[], spec: string): string {
  if (spec === 'all') return lines.join('\n');
  // The last N screen lines, counted from the last non-blank one (the cursor area of a TUI).
  const count = Number(spec.slice('bottom:'.length));
  let end = lines.length;
  while (end > 0 && (lines[end - 1] ?? '').trim() === '') end -= 1;
  return lines.slice(Math.max(0, end - count), end).join('\n');
}

function matches(rule: Rule, lines: readonly string[]): boolean {
  const text = region(lines, rule.region);
  const lower = text.toLowerCase();
  if (rule.forbid.some((word) => lower.includes(word.toLowerCase()))) return false;
  if (rule.all.some((word) => !lower.includes(word.toLowerCase()))) return false;
  if (rule.any.length > 0 && !rule.any.some((word) => lower.includes(word.toLowerCase()))) return false;
  if (rule.regex !== undefined && !new RegExp(rule.regex, 'im').test(text)) return false;
  return true;
}

/**
 * Classifies one pane: process evidence first (the pane's agent exited: `done`), then the
 * runtime's rule pack in priority order, else `unknown`. The foreground command is not compared
 * with shells: script-based runtimes run as `sh`, and the launcher execs the agent in the pane.
 */
export function classifyPane(snapshot: PaneSnapshot, pack: RulePack | undefined): Classification {
  if (snapshot.exited) return { state: 'done', source: 'foreground_process', reason: 'agent exited' };
  if (!pack) return { state: 'unknown', source: 'none' };
  const lines = normalizeScreen(snapshot.screen);
  for (const rule of pack.rules) {
    if (matches(rule, lines)) {
      return {
        state: rule.state,
        source: 'visible_screen',
        rule: rule.id,
        ...(rule.reason === undefined ? {} : { reason: rule.reason }),
      };
    }
  }
  return { state: 'unknown', source: 'none' };
}
