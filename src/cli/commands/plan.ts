import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import type {Command} from '../command';
import {parseArgs} from '../args';
import {onlyOption, profileOption} from '../profile_option';
import {experimentContext} from '../../../experiments/data_choice';
import {memoizePrepareData, planProfile, selectExperiments} from '../../pipeline/plan';
import {prepareTrainData} from '../../runs/prepare_data';
import {storeOption} from '../store_option';
import {estimateLine, estimateTrainingTime} from '../../pipeline/estimate';
import {writeJsonAtomic} from '../../util/atomic';
import {describeStranded, strandedCheckpoints} from '../../pipeline/stranded_checkpoints';

const USAGE = `usage: repro plan [--profile smoke|quick|standard|paper] [--only IDS] [--json] [--store DIR] [--write-specs DIR]

Prints the RunSpecs a profile needs, each with its hash and whether the store holds it. Each
"spec" of --json is usable as is with \`repro train --spec FILE.json\`. Identical specs of several
experiments train once (same hash). --write-specs DIR also writes each spec to
DIR/<experiment>-<name>.json, ready for \`repro train --spec\`. A missing run whose checkpoint
the store holds under other training code is named on stderr, with the commit that can finish it.`;

export const planCommand: Command = {
  name: 'plan',
  summary: 'the RunSpecs a profile needs and which are cached',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('plan', argv, {values: ['profile', 'only', 'store', 'write-specs'], flags: ['json']});
    const profile = profileOption('plan', args);
    const ctx = experimentContext(profile);
    const store = storeOption('plan', args);
    const plan = await planProfile({profile, ctx, experiments: selectExperiments(onlyOption(args)),
      store, prepareData: memoizePrepareData(prepareTrainData)});
    const specDir = args.values.get('write-specs');
    if (specDir) {
      mkdirSync(specDir, {recursive: true});
      for (const r of plan.runs) writeJsonAtomic(join(specDir, `${r.experiment}-${r.name}.json`), r.spec);
    }
    if (args.flags.has('json')) {
      const estimate = estimateTrainingTime(plan, store);
      process.stdout.write(JSON.stringify({profile, data: ctx.data, ...(estimate ? {estimatedSeconds: Math.round(estimate.seconds), estimateBasis: estimate.basis} : {}),
        runs: plan.runs.map((r) => ({experiment: r.experiment, name: r.name, hash: r.hash, cached: r.cached, spec: r.spec}))}, null, 2) + '\n');
      return 0;
    }
    process.stdout.write(`profile ${profile}, data ${ctx.data.name}${ctx.data.note ? ` (${ctx.data.note})` : ''}\n`);
    for (const r of plan.runs) {
      process.stdout.write(`${r.cached ? 'cached  ' : 'missing '} ${r.hash}  ${r.experiment}/${r.name}  ${r.spec.model}, ${r.spec.epochs} epochs\n`);
    }
    process.stdout.write(`${estimateLine(plan, store)}\n`);
    for (const s of strandedCheckpoints(plan.trainings, store)) process.stderr.write(`${describeStranded(s)}\n`);
    return 0;
  },
};
