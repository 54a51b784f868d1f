import { spawn } from 'node:child_process';
import type { ConsoleActions, TerminalHandoff } from '../../console/ports.js';
import type { SqliteEventStore } from '../../events/sqlite-store.js';
import { JackinError, UsageError } from '../../kernel/errors.js';

/** Engines the console drives; each is optional until its issue lands (then the real one is injected). */
export interface ConsoleEngines {
  readonly launch?: ConsoleActions['launch'];
  /** Runs the attach with the terminal lent by the console. */
  readonly reattach?: (instanceId: string, terminal: TerminalHandoff) => Promise<void>;
  readonly newSession?: (
    instanceId: string,
    kind: 'agent' | 'shell',
    terminal: TerminalHandoff,
  ) => Promise<void>;
  readonly eject?: ConsoleActions['eject'];
  readonly retryTask?: ConsoleActions['retryTask'];
  readonly cancelTask?: ConsoleActions['cancelTask'];
}

export interface ConsoleActionsDeps {
  readonly store: SqliteEventStore;
  readonly engines: ConsoleEngines;
  readonly terminal: TerminalHandoff;
  /** Opens a URL in the operator's browser. */
  readonly openUrl: (url: string) => Promise<void>;
}

function notYet(what: string, issue: string, hint: string): JackinError {
  return new JackinError('operation_failed', `${what} is not available yet (${issue} has not landed)`, {
    hint,
  });
}

/**
 * The console's actions port. Without the instances engine, eject records the intent
 * (InstanceEjectRequested) for the engine/reconciler to carry out; launch and attach say they are
 * not available yet rather than pretending.
 */
export function createConsoleActions(deps: ConsoleActionsDeps): ConsoleActions {
  const { engines, terminal } = deps;
  return {
    launch(request) {
      if (engines.launch) return engines.launch(request);
      return Promise.reject(
        notYet('launching from the console', 'instance launch, issue 5', 'use `jackin load` once it lands'),
      );
    },
    reattach(instanceId) {
      if (engines.reattach) return engines.reattach(instanceId, terminal);
      return Promise.reject(
        notYet('attach', 'instance lifecycle, issue 5', 'use `jackin hardline` once it lands'),
      );
    },
    newSession(instanceId, kind) {
      if (engines.newSession) return engines.newSession(instanceId, kind, terminal);
      return Promise.reject(
        notYet(
          `a new ${kind} session`,
          'instance lifecycle, issue 5',
          'use `jackin hardline --new` once it lands',
        ),
      );
    },
    async eject(instanceId) {
      if (engines.eject) return engines.eject(instanceId);
      await deps.store.append(
        `instance-${instanceId}`,
        [{ type: 'InstanceEjectRequested', data: { instanceId, purge: false } }],
        { expectedVersion: 'stream_exists', actor: 'console' },
      );
    },
    retryTask(taskId) {
      if (engines.retryTask) return engines.retryTask(taskId);
      return Promise.reject(
        notYet('retrying tasks', 'the task queue, issue 7', 'use `jackin task retry` once it lands'),
      );
    },
    cancelTask(taskId) {
      if (engines.cancelTask) return engines.cancelTask(taskId);
      return Promise.reject(
        notYet('cancelling tasks', 'the task queue, issue 7', 'use `jackin task cancel` once it lands'),
      );
    },
    openLink(url) {
      if (!/^https?:\/\//.test(url)) return Promise.reject(new UsageError(`not a web link: ${url}`));
      return deps.openUrl(url);
    },
  };
}

/** Opens a URL with the platform's opener, detached, without waiting for the browser. */
export function platformOpener(platform: NodeJS.Platform): (url: string) => Promise<void> {
  const command = platform === 'darwin' ? 'open' : platform === 'win32' ? 'explorer' : 'xdg-open';
  return (url) =>
    new Promise((resolve, reject) => {
      const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
      child.once('error', (cause) =>
        reject(new JackinError('operation_failed', `cannot open ${url}: ${command} failed`, { cause })),
      );
      child.once('spawn', () => {
        child.unref();
        resolve();
      });
    });
}
