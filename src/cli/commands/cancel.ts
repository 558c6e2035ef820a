import type {Command} from '../command';
import {parseArgs} from '../args';
import {RunStore} from '../../runs/store';
import {CliSlurm} from '../../executors/slurm/client';
import {findSubmission} from '../../executors/slurm/submission';

const USAGE = `usage: repro cancel [--store DIR] [--submission ID]

Cancels (scancel) every job array of a Slurm submission (default: the newest in the store).
Finished runs stay in the store; a cancelled run resumes from its last checkpoint when submitted again.`;

export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'cancel the Slurm jobs of a submission (scancel)',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('cancel', argv, {values: ['store', 'submission']});
    const store = new RunStore(args.values.get('store') ?? undefined);
    const sub = findSubmission(store, args.values.get('submission'));
    const jobIds = sub.arrays.map((a) => a.jobId);
    await new CliSlurm().cancel(jobIds);
    process.stdout.write(`cancelled job array(s) ${jobIds.join(', ')} of submission ${sub.id}\n`);
    return 0;
  },
};
