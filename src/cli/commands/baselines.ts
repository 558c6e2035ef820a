import type {Command} from '../command';
import {parseArgs} from '../args';
import {profileOption} from '../profile_option';
import {baselineDir, writeBaselines} from '../../pipeline/baselines';
import {reproduce} from '../../pipeline/reproduce';
import {storeOption} from '../store_option';
import {stopOnSigint} from '../../train/interrupt';
import {gitState} from '../../runs/provenance';
import {cleanTreeCheck} from '../../pipeline/baselines';

const USAGE = `usage: repro baselines [--profile smoke|quick|standard|paper] [--store DIR] [--no-training] [--allow-dirty]

Runs \`repro reproduce\` for the profile (training what is missing), then writes the reference
results the regression tests compare against: reports/baselines/<profile>/claims.json, runs.json
(each run's final metrics, timings left out) and report.pdf. Commit them.
Refuses when the working tree has uncommitted changes (outside reports/): a baseline names the
commit that produced it, and must be reproducible from it.
  --no-training  train nothing: write them from the runs the store holds (with the profile's committed
                 results, imported first); a claim whose runs are still missing is written as 'not run'
                 (the standard profile while its runs train over sittings)
  --allow-dirty  generate anyway; the report's title page and reports/baselines/<profile>/DIRTY say so`;

export const baselinesCommand: Command = {
  name: 'baselines',
  summary: 'reproduce a profile and write its committed baselines (reports/baselines/<profile>/)',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('baselines', argv, {values: ['profile', 'store'], flags: ['allow-dirty', 'no-training']});
    const profile = profileOption('baselines', args);
    const git = gitState();
    const warning = cleanTreeCheck(git, args.flags.has('allow-dirty'));
    if (warning) process.stderr.write(`${warning}\n`);
    const store = storeOption('baselines', args);
    stopOnSigint();
    const outcome = await reproduce({profile, store, noTraining: args.flags.has('no-training')});
    const dir = writeBaselines(outcome, store, baselineDir(profile), warning);
    if (warning) process.stderr.write(`${warning}\n`);
    process.stdout.write(`baselines written to ${dir}\n`);
    return 0;
  },
};
