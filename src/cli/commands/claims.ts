import type {Command} from '../command';
import {parseArgs} from '../args';
import {onlyOption, profileOption} from '../profile_option';
import {reproduce} from '../../pipeline/reproduce';
import {RunStore} from '../../runs/store';

const USAGE = `usage: repro claims [--profile smoke|quick|standard|paper] [--only IDS] [--json] [--store DIR]

Evaluates every claim of the profile on the results in the run store (training nothing): the
verdict (reproduced, not reproduced, not run), ours beside the paper's, the criterion, and for
'not run' the reason and the command that would run it.`;

export const claimsCommand: Command = {
  name: 'claims',
  summary: 'evaluate the claims on stored results (no training)',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('claims', argv, {values: ['profile', 'only', 'store'], flags: ['json']});
    const profile = profileOption('claims', args);
    const outcome = await reproduce({profile, only: onlyOption(args), noTraining: true, noReport: true,
      store: new RunStore(args.values.get('store') ?? undefined), log: () => {}});
    if (args.flags.has('json')) {
      process.stdout.write(JSON.stringify(outcome.claims, null, 2) + '\n');
      return 0;
    }
    for (const c of outcome.claims) {
      const measured = c.measured === undefined ? '—' : String(c.measured);
      process.stdout.write(`${c.id.padEnd(3)} ${c.verdict.padEnd(15)} ours ${measured}; ${c.criterion}` +
        `${c.note ? `\n      note: ${c.note}` : ''}${c.command ? `\n      run: ${c.command}` : ''}\n`);
    }
    return 0;
  },
};
