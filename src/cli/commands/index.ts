import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerConfig } from './config.js';
import { registerConsole } from './console.js';
import { registerDoctor } from './doctor.js';
import { registerEvents } from './events.js';
import { registerExplain } from './explain.js';
import { registerHistory } from './history.js';
import { registerRole } from './role.js';
import { registerWorkspace } from './workspace.js';
import { registerImages } from './images.js';
import { registerLinks } from './links.js';
import { registerQueue } from './queue.js';
import { registerTask } from './task.js';
import { registerLoad } from './load.js';
import { registerHardline } from './hardline.js';
import { registerEject } from './eject.js';
import { registerExile } from './exile.js';
import { registerPurge } from './purge.js';
import { registerPrune } from './prune.js';
import { registerPrewarm } from './prewarm.js';
import { registerStatus } from './status.js';
import { registerWatch } from './watch.js';

export type RegisterCommand = (program: Command, context: CliContext) => void;

/** A top-level command: the names it answers to, and the function that registers it. */
export interface CommandModule {
  readonly names: readonly string[];
  readonly register: RegisterCommand;
}

/**
 * Every top-level command, one file each. `names` lets the CLI register only the command being run
 * (`buildProgram`); a unit test keeps each list equal to what its register function defines.
 */
export const commandModules: readonly CommandModule[] = [
  { names: ['history'], register: registerHistory },
  { names: ['events'], register: registerEvents },
  { names: ['doctor'], register: registerDoctor },
  { names: ['images'], register: registerImages },
  { names: ['workspace'], register: registerWorkspace },
  { names: ['config'], register: registerConfig },
  { names: ['role'], register: registerRole },
  { names: ['explain'], register: registerExplain },
  { names: ['console'], register: registerConsole },
  { names: ['task'], register: registerTask },
  { names: ['queue'], register: registerQueue },
  { names: ['links'], register: registerLinks },
  { names: ['load'], register: registerLoad },
  { names: ['hardline'], register: registerHardline },
  { names: ['eject'], register: registerEject },
  { names: ['exile'], register: registerExile },
  { names: ['purge'], register: registerPurge },
  { names: ['prune'], register: registerPrune },
  { names: ['prewarm'], register: registerPrewarm },
  { names: ['status', 'ps'], register: registerStatus },
  { names: ['watch'], register: registerWatch },
];
