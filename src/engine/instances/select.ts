import type { SqliteConnection } from '../../db/open.js';
import type { InstanceState } from '../../domain/instance-state.js';
import { JackinError, NotFoundError } from '../../kernel/errors.js';
import { findInstance, listInstances } from '../../projections/instances.js';
import type { InstanceRow } from '../../projections/instances.js';

export interface SelectOptions {
  /** States a match must be in (default: any). */
  readonly states?: readonly InstanceState[];
  /** Several matches are fine (`--all`); otherwise more than one is an error listing them. */
  readonly all?: boolean;
  /** What the command is called, for messages. */
  readonly verb: string;
}

/**
 * An instance id, id prefix, full name, or role key → instances. A role key matching several
 * instances needs `--all`; nothing matching is not_found (exit 3).
 */
export function selectInstances(
  db: SqliteConnection,
  selector: string,
  options: SelectOptions,
): InstanceRow[] {
  const inState = (row: InstanceRow): boolean => !options.states || options.states.includes(row.state);
  let matches = findInstance(db, selector).filter(inState);
  if (matches.length === 0) {
    matches = listInstances(db, options.states ? { states: options.states } : {}).filter(
      (row) => row.role === selector.toLowerCase(),
    );
  }
  if (matches.length === 0) {
    throw new NotFoundError(`no instance matches '${selector}'`, {
      hint: 'run `jackin status` to list instances (ids, names and roles are accepted)',
    });
  }
  if (matches.length > 1 && !options.all) {
    throw new JackinError(
      'invalid_input',
      `'${selector}' matches ${matches.length} instances: ${matches.map((m) => m.name).join(', ')}`,
      {
        hint: `name one instance, or pass --all to ${options.verb} every match`,
      },
    );
  }
  return matches;
}
