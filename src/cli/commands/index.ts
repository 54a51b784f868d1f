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

/** Every top-level command, one file each. */
export const commandModules: readonly RegisterCommand[] = [
  registerHistory,
  registerEvents,
  registerDoctor,
  registerImages,
  registerWorkspace,
  registerConfig,
  registerRole,
  registerExplain,
  registerConsole,
  registerTask,
  registerQueue,
  registerLinks,
  registerLoad,
  registerHardline,
  registerEject,
  registerExile,
  registerPurge,
  registerPrune,
  registerPrewarm,
  registerStatus,
  registerWatch,
];
