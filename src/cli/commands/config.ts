import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerConfigAuth } from './config-auth.js';
import { registerConfigEnv } from './config-env.js';
import { registerConfigMount } from './config-mount.js';
import { registerConfigTrust } from './config-trust.js';

/** `jackin config …`: config.toml (global mounts, env, auth modes, trusted role sources). */
export function registerConfig(program: Command, context: CliContext): void {
  const config = program
    .command('config')
    .description('operator config: global mounts, env, auth modes, trusted roles');
  registerConfigMount(config, context);
  registerConfigEnv(config, context);
  registerConfigAuth(config, context);
  registerConfigTrust(config, context);
}
