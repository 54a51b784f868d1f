import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerRoleCreate } from './role-create.js';
import { registerRoleMigrate } from './role-migrate.js';
import { registerRoleValidate } from './role-validate.js';

/** `jackin role …`: authoring roles (validate, create, migrate). */
export function registerRole(program: Command, context: CliContext): void {
  const role = program.command('role').description('author roles: validate, create, migrate');
  registerRoleValidate(role, context);
  registerRoleCreate(role, context);
  registerRoleMigrate(role, context);
}
