import { describe, expect, it } from 'vitest';
import { commandModules } from '../../src/cli/commands/index.js';
import { buildProgram, modulesFor } from '../../src/cli/program.js';
import { inertContext } from '../../src/docs/cli-doc.js';

const context = inertContext();

const namesOf = (args?: string[]): string[] =>
  buildProgram(context, args)
    .commands.flatMap((c) => [c.name(), ...c.aliases()])
    .sort();

describe('the CLI registers only the command being run', () => {
  it('each table entry names exactly what its register function defines', () => {
    for (const module of commandModules) {
      expect(namesOf([module.names[0]!])).toEqual([...module.names].sort());
    }
  });

  it('the table covers every command: registering all equals the union of the entries', () => {
    expect(namesOf()).toEqual(commandModules.flatMap((m) => m.names).sort());
  });

  it('help, typos and global flags alone get every command', () => {
    const all = commandModules.length;
    expect(modulesFor([])).toHaveLength(all);
    expect(modulesFor(['--help'])).toHaveLength(all);
    expect(modulesFor(['help', 'load'])).toHaveLength(all);
    expect(modulesFor(['stauts'])).toHaveLength(all);
    expect(modulesFor(['--debug', 'ps', '--json']).map((m) => m.names[0])).toEqual(['status']);
    expect(modulesFor(['load', '--help']).map((m) => m.names[0])).toEqual(['load']);
  });
});
