import type {Command} from '../command';
import {parseArgs} from '../args';
import {profileOption} from '../profile_option';
import {baselineDir, writeBaselines} from '../../pipeline/baselines';
import {reproduce} from '../../pipeline/reproduce';
import {RunStore} from '../../runs/store';

const USAGE = `usage: repro baselines [--profile smoke|quick] [--store DIR]

Runs \`repro reproduce\` for the profile (training what is missing), then writes the reference
results the regression tests compare against: reports/baselines/<profile>/claims.json, runs.json
(each run's final metrics, timings left out) and report.pdf. Commit them.`;

export const baselinesCommand: Command = {
  name: 'baselines',
  summary: 'reproduce a profile and write its committed baselines (reports/baselines/<profile>/)',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('baselines', argv, {values: ['profile', 'store']});
    const profile = profileOption('baselines', args);
    const store = new RunStore(args.values.get('store') ?? undefined);
    const outcome = await reproduce({profile, store});
    const dir = writeBaselines(outcome, store, baselineDir(profile));
    process.stdout.write(`baselines written to ${dir}\n`);
    return 0;
  },
};
