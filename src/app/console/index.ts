import type { ConsoleActions, ConsoleData, TerminalHandoff } from '../../console/ports.js';
import type { App } from '../app.js';
import { createConsoleActions, platformOpener } from './console-actions.js';
import type { ConsoleEngines } from './console-actions.js';
import { createConsoleData } from './console-data.js';
import type { ResourceSampler } from './console-data.js';
import { dockerStatsSampler } from './docker-stats.js';
import { configExplain, configLaunchChoices } from './launch-choices.js';
import { projectionQueueReader } from './queue-reader.js';

export interface ConsoleAdapters {
  readonly data: ConsoleData;
  readonly actions: (terminal: TerminalHandoff) => ConsoleActions;
  /** Whether the console may use colour (NO_COLOR and TERM=dumb turn it off). */
  readonly color: boolean;
  close(): void;
}

export interface ConsoleAdapterOptions {
  readonly sampler?: ResourceSampler;
  readonly engines?: ConsoleEngines;
}

/** Wires the console's ports to the event log, the config files and Docker. */
export async function createConsoleAdapters(
  app: App,
  options: ConsoleAdapterOptions = {},
): Promise<ConsoleAdapters> {
  const { store, projector } = await app.eventLog();
  const data = createConsoleData({
    store,
    projections: projector.projections,
    sampler: options.sampler ?? dockerStatsSampler({ env: app.env }),
    queue: projectionQueueReader,
    launchChoices: () => configLaunchChoices(app.paths.configDir),
    explain: (request) => configExplain(app.paths.configDir, request),
  });
  return {
    data,
    actions: (terminal) =>
      createConsoleActions({
        store,
        terminal,
        engines: options.engines ?? {},
        openUrl: platformOpener(process.platform),
      }),
    color: !('NO_COLOR' in app.env) && app.env.TERM !== 'dumb',
    close: () => data.close(),
  };
}
