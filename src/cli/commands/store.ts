import {join} from 'node:path';
import type {Command} from '../command';
import {parseArgs} from '../args';
import {onlyOption, profileOption} from '../profile_option';
import {experimentContext} from '../../../experiments/data_choice';
import {baselineDir, importResultFiles, writeResultFiles} from '../../pipeline/baselines';
import {memoizePrepareData, planProfile, selectExperiments} from '../../pipeline/plan';
import {prepareTrainData} from '../../runs/prepare_data';
import {RunStore} from '../../runs/store';
import type {RunResult} from '../../runs/result';
import type {RunSpec} from '../../runs/spec';
import {canonicalJson} from '../../util/canonical_json';
import {ReproError} from '../../util/errors';

const USAGE = `usage: repro store import DIR [--store DIR]
       repro store export [--profile smoke|quick|standard|paper] [--only IDS] [--out DIR] [--store DIR]

import: verifies every result file in DIR (format; spec + code version + data checksum hash to
its recorded hash) and adds it to the run store, pinned to its spec and data: a later code
version counts it as done (the report names the code version that trained it). Refused files
are listed with the reason. A profile's committed runs live in reports/baselines/<profile>/results/;
\`npm run reproduce -- --profile standard\` imports its own automatically.

export: writes every finished run of the profile's plan to DIR (default
reports/baselines/<profile>/results/) as <experiment>--<name>.json, keeping files already there:
commit them as a long profile trains, so the work survives a new machine. A planned run that this
store finished under an earlier code version (the code changed while the profile trained) is
exported too, and pinned in the store as an import would pin it.`;

/**
 * Pins (as `repro store import` does) each finished result in `store` whose spec is one of
 * `specs`, trained by another code version; the newest when there are several. Returns how many.
 */
function adoptEarlierVersions(specs: readonly RunSpec[], store: RunStore): number {
  const wanted = new Set(specs.map((s) => canonicalJson(s)));
  const newest = new Map<string, RunResult>();
  for (const e of store.list()) {
    if (e.result?.status !== 'done') continue;
    const key = canonicalJson(e.result.spec);
    if (!wanted.has(key)) continue;
    const seen = newest.get(key);
    if (!seen || seen.provenance.endedAt < e.result.provenance.endedAt) newest.set(key, e.result);
  }
  for (const r of newest.values()) store.importResult(r);
  return newest.size;
}

export const storeCommand: Command = {
  name: 'store',
  summary: 'import verified results into the run store, or export a profile\'s finished runs',
  usage: USAGE,
  async run(argv) {
    const [verb, ...rest] = argv;
    if (verb === 'import') {
      const args = parseArgs('store import', rest, {values: ['store'], flags: [], positional: 'DIR'});
      const dir = args.positional[0];
      if (args.positional.length > 1) throw new ReproError(`repro store import: one directory expected, got ${args.positional.length}`);
      if (!dir) throw new ReproError('repro store import: no directory given', {expected: 'repro store import DIR', fix: USAGE});
      const store = new RunStore(args.values.get('store') ?? undefined);
      const r = importResultFiles(dir, store);
      process.stdout.write(`${r.added} imported, ${r.present} already in ${store.root}, ${r.refused.length} refused\n`);
      for (const f of r.refused) process.stdout.write(`  refused ${f}\n`);
      return r.refused.length ? 2 : 0;
    }
    if (verb === 'export') {
      const args = parseArgs('store export', rest, {values: ['profile', 'only', 'out', 'store'], flags: []});
      const profile = profileOption('store export', args);
      const store = new RunStore(args.values.get('store') ?? undefined);
      // One memo for both plans, so the data are prepared once.
      const prepareData = memoizePrepareData(prepareTrainData);
      const planNow = () => planProfile({profile, ctx: experimentContext(profile), experiments: selectExperiments(onlyOption(args)),
        store, prepareData});
      let plan = await planNow();
      // Runs this store finished under an earlier code version (the code changed mid-profile) are
      // exported too: pinned to their spec and data as an import would pin them, then planned again.
      const older = adoptEarlierVersions(plan.trainings.filter((t) => !t.cached).map((t) => t.spec), store);
      if (older > 0) plan = await planNow();
      const out = args.values.get('out') ?? join(baselineDir(profile), 'results');
      const n = writeResultFiles(plan, store, out);
      const done = plan.trainings.filter((t) => t.cached).length;
      process.stdout.write(`${n} new result files in ${out} (${done} of ${plan.trainings.length} distinct runs of ${profile} are done` +
        `${older > 0 ? `; ${older} of them trained by an earlier code version, named in each file's provenance` : ''})\n`);
      return 0;
    }
    throw new ReproError(`repro store: unknown action "${verb ?? ''}"`, {expected: 'import or export', fix: USAGE});
  },
};
