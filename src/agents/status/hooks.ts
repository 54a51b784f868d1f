import {
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { ScreenState } from './rule-pack.js';

/**
 * Status from the runtime's own hook mechanism (claude hooks). At every launch jackin merges hook
 * entries into the instance's `~/.claude/settings.json`; each runs a small script that appends one
 * JSON line to the hook log in the instance state (`/jackin/state/status/hooks.jsonl` inside the
 * container = `data/<instance>/state/status/hooks.jsonl` on the host), which the host watcher reads.
 */

/** The instance-state directory (`/jackin/state`) as seen inside the container. */
export const CONTAINER_STATE_DIR = '/jackin/state';
/** The hook log and the hook script, relative to the instance's state directory. */
export const HOOK_LOG = 'status/hooks.jsonl';
export const CLAUDE_HOOK_SCRIPT = 'status/claude-hook.sh';

/** One line of the hook log (schema `v: 1`). Only small, non-secret fields are recorded. */
export interface HookRecord {
  readonly runtime: string;
  /** The hook event name (`UserPromptSubmit`, `PreToolUse`, `Notification`, `Stop`, …). */
  readonly event: string;
  /** `$TMUX_PANE` of the session that ran the hook (`%0`), to keep sessions apart. */
  readonly pane?: string;
  /** Notification hooks: `notification_type` (`permission_prompt`, `idle_prompt`, …). */
  readonly notification?: string;
  /** Notification hooks: the message claude shows (≤ 200 characters). */
  readonly message?: string;
}

export interface HookStatus {
  readonly state: ScreenState;
  readonly reason?: string;
}

const WORKING_EVENTS = new Set(['UserPromptSubmit', 'PreToolUse', 'PostToolUse']);

/**
 * What a hook record says about the agent: a prompt or a tool call → working, a permission (or
 * MCP input) request → blocked, the end of a turn → idle. Anything else says nothing.
 */
export function hookStatus(record: HookRecord): HookStatus | undefined {
  if (WORKING_EVENTS.has(record.event)) return { state: 'working' };
  if (record.event === 'Stop') return { state: 'idle' };
  if (record.event !== 'Notification') return undefined;
  const reason = record.message ? { reason: record.message } : {};
  switch (record.notification) {
    case 'permission_prompt':
      return { state: 'blocked', ...(record.message ? reason : { reason: 'permission prompt' }) };
    case 'elicitation_dialog':
      return { state: 'blocked', ...(record.message ? reason : { reason: 'waiting for input' }) };
    case 'idle_prompt':
      return { state: 'idle' };
    case undefined:
    case '':
      // Versions without notification_type: the message tells the two notifications apart.
      if (/permission/i.test(record.message ?? '')) return { state: 'blocked', ...reason };
      if (/waiting for your input/i.test(record.message ?? '')) return { state: 'idle' };
      return undefined;
    default:
      return undefined;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** One hook-log line, or undefined when it is not a record (a torn or foreign line is skipped). */
export function parseHookRecord(line: string): HookRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const raw = value as Record<string, unknown>;
  const runtime = text(raw.runtime);
  const event = text(raw.event);
  if (raw.v !== 1 || !runtime || !event) return undefined;
  const pane = text(raw.pane);
  const notification = text(raw.notification);
  const message = text(raw.message)?.trim();
  return {
    runtime,
    event,
    ...(pane ? { pane } : {}),
    ...(notification ? { notification } : {}),
    ...(message ? { message } : {}),
  };
}

/**
 * Reads a hook log incrementally: each call returns the records appended since the last one. A
 * partial last line waits for the next call; a file that shrank (rotated at launch) is read again
 * from its start.
 */
export class HookLogReader {
  private offset = 0;
  private pending = '';

  constructor(readonly path: string) {}

  read(): HookRecord[] {
    if (!existsSync(this.path)) return [];
    const fd = openSync(this.path, 'r');
    let chunk: string;
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) {
        this.offset = 0;
        this.pending = '';
      }
      if (size === this.offset) return [];
      const buffer = Buffer.alloc(size - this.offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      chunk = this.pending + buffer.subarray(0, read).toString('utf8');
    } finally {
      closeSync(fd);
    }
    const lines = chunk.split('\n');
    this.pending = lines.pop() ?? '';
    return lines.flatMap((line) => {
      const record = parseHookRecord(line);
      return record ? [record] : [];
    });
  }
}

/**
 * The hook script (POSIX sh, no jq): claude runs it with the event name as its argument and the
 * hook payload (JSON) on stdin. It records the event, the tmux pane and, for notifications, the
 * type and message (quotes, backslashes and control characters dropped, so the line stays JSON),
 * prints nothing (a UserPromptSubmit hook's output would become prompt context) and always exits 0.
 */
export function claudeHookScript(): string {
  return [
    '#!/bin/sh',
    '# jackin agent status: written at every launch (src/agents/status/hooks.ts); edits are overwritten.',
    '# The hook log is next to this script: /jackin/state/status/hooks.jsonl in the container.',
    'event="$1"',
    'log="$(dirname "$0")/hooks.jsonl"',
    "payload=$(cat 2>/dev/null | tr -d '\\000-\\037')",
    'field() {',
    '  printf \'%s\' "$payload" | sed -n "s/.*\\"$1\\"[[:space:]]*:[[:space:]]*\\"\\([^\\"]*\\)\\".*/\\1/p" | head -n 1 | tr -d \'\\\\\' | cut -c1-200',
    '}',
    'notification=""',
    'message=""',
    'if [ "$event" = "Notification" ]; then',
    '  notification=$(field notification_type)',
    '  message=$(field message)',
    'fi',
    'printf \'{"v":1,"runtime":"claude","event":"%s","pane":"%s","notification":"%s","message":"%s"}\\n\' \\',
    '  "$event" "$TMUX_PANE" "$notification" "$message" >> "$log" 2>/dev/null',
    'exit 0',
    '',
  ].join('\n');
}

/** The claude hook events jackin listens to; tool events take a matcher (`*` = every tool). */
export const CLAUDE_HOOK_EVENTS: readonly { readonly event: string; readonly matcher?: string }[] = [
  { event: 'UserPromptSubmit' },
  { event: 'PreToolUse', matcher: '*' },
  { event: 'PostToolUse', matcher: '*' },
  { event: 'Notification' },
  { event: 'Stop' },
];

const HOOK_COMMAND_PREFIX = `sh ${CONTAINER_STATE_DIR}/${CLAUDE_HOOK_SCRIPT}`;

interface HookCommand {
  type?: unknown;
  command?: unknown;
  [key: string]: unknown;
}
interface HookEntry {
  matcher?: unknown;
  hooks?: unknown;
  [key: string]: unknown;
}

function isOurs(hook: unknown): boolean {
  const command = (hook as HookCommand | null)?.command;
  return typeof command === 'string' && command.startsWith(HOOK_COMMAND_PREFIX);
}

/**
 * Merges jackin's hook entries into a claude settings object: every other key, every other hook
 * and every other event is kept; jackin's own entries (recognised by their command) are replaced,
 * so repeated launches do not pile them up. Returns a new object.
 */
export function mergeClaudeHooks(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const current = settings.hooks;
  const hooks: Record<string, unknown> =
    current && typeof current === 'object' && !Array.isArray(current)
      ? { ...(current as Record<string, unknown>) }
      : {};
  for (const { event, matcher } of CLAUDE_HOOK_EVENTS) {
    const existing = Array.isArray(hooks[event]) ? (hooks[event] as unknown[]) : [];
    const kept = existing.flatMap((entry) => {
      const list = (entry as HookEntry | null)?.hooks;
      if (!Array.isArray(list)) return [entry];
      const others = list.filter((hook) => !isOurs(hook));
      if (others.length === list.length) return [entry];
      return others.length > 0 ? [{ ...(entry as HookEntry), hooks: others }] : [];
    });
    const ours = {
      ...(matcher === undefined ? {} : { matcher }),
      hooks: [{ type: 'command', command: `${HOOK_COMMAND_PREFIX} ${event}` }],
    };
    hooks[event] = [...kept, ours];
  }
  return { ...settings, hooks };
}

function isSymlink(path: string): boolean {
  return existsSync(path) && lstatSync(path).isSymbolicLink();
}

/**
 * Installs claude's status hooks into an instance: the hook script under the state directory and
 * the merged `settings.json` under the instance home (claude's user settings). A settings file that
 * is not a JSON object, or a symlink, is left untouched (status then comes from the screen alone);
 * the hook log is emptied, so the watcher never reads a previous launch's records.
 * Returns whether the hooks are installed.
 */
export function installClaudeStatusHooks(paths: {
  readonly stateDir: string;
  readonly settingsFile: string;
}): boolean {
  const script = join(paths.stateDir, CLAUDE_HOOK_SCRIPT);
  const log = join(paths.stateDir, HOOK_LOG);
  if (isSymlink(dirname(script)) || isSymlink(script) || isSymlink(log) || isSymlink(paths.settingsFile))
    return false;
  let settings: Record<string, unknown> = {};
  if (existsSync(paths.settingsFile)) {
    const raw = readFileSync(paths.settingsFile, 'utf8');
    if (raw.trim() !== '') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return false;
      }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return false;
      settings = parsed as Record<string, unknown>;
    }
  }
  mkdirSync(dirname(script), { recursive: true, mode: 0o700 });
  writeFileSync(script, claudeHookScript(), { mode: 0o700 });
  chmodSync(script, 0o700);
  writeFileSync(log, '', { mode: 0o600 });
  mkdirSync(dirname(paths.settingsFile), { recursive: true, mode: 0o700 });
  writeFileSync(paths.settingsFile, `${JSON.stringify(mergeClaudeHooks(settings), null, 2)}\n`, {
    mode: 0o600,
  });
  return true;
}
