import type {Command} from './command';
import {ReproError} from '../util/errors';
import {modelsCommand} from './commands/models';
import {reportCommand} from './commands/report';
import {reproduceCommand} from './commands/reproduce';
import {benchCommand} from './commands/bench';
import {dataCommand} from './commands/data';
import {weightsCommand} from './commands/weights';
import {runsCommand} from './commands/runs';
import {storeCommand} from './commands/store';
import {trainCommand} from './commands/train';
import {notebookCommand} from './commands/notebook';
import {planCommand} from './commands/plan';
import {claimsCommand} from './commands/claims';
import {baselinesCommand} from './commands/baselines';

/**
 * The `repro` command table. Explicit, so that `repro --help` lists exactly what exists and
 * importing the CLI has no side effects.
 */
export const COMMANDS: readonly Command[] = [
  reproduceCommand,
  planCommand,
  claimsCommand,
  baselinesCommand,
  dataCommand,
  weightsCommand,
  modelsCommand,
  trainCommand,
  runsCommand,
  storeCommand,
  reportCommand,
  notebookCommand,
  benchCommand,
];

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: repro COMMAND [options]    (repro COMMAND --help for details)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    throw new ReproError(`unknown command "${name}"`,
      {expected: `one of ${COMMANDS.map((c) => c.name).join(', ')}`, fix: 'run `repro --help`'});
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage.endsWith('\n') ? command.usage : command.usage + '\n');
    return 0;
  }
  return command.run(rest);
}
