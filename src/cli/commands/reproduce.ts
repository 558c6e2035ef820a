import type {Command} from '../command';
import {parseArgs} from '../args';
import {onlyOption, profileOption} from '../profile_option';
import {reproduce} from '../../pipeline/reproduce';
import {storeOption} from '../store_option';
import {stopOnSigint} from '../../train/interrupt';
import {estimateLine} from '../../pipeline/estimate';
import {formatClaimsTable} from './claims';

const USAGE = `usage: repro reproduce [--profile smoke|quick|standard|paper] [--only IDS] [--dry-run] [--store DIR] [--out DIR]

Plans every experiment of the profile (default quick), trains what is not in the run store (a
progress line per run with an ETA), evaluates every claim and writes reports/<profile>/:
report.pdf, report.html, claims.json, report.json, figures/.
  --only IDS   experiment or claim ids, comma-separated (e.g. A,B1B2 or B5)
  --dry-run    print the plan (what is cached, what would train) and the verdicts so far; train and write nothing
  --store DIR  run store (default runs/ or $REPRO_STORE)
  --out DIR    report directory (default reports/<profile>/)`;

export const reproduceCommand: Command = {
  name: 'reproduce',
  summary: 'plan, train what is missing, evaluate claims, write the report',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('reproduce', argv, {values: ['profile', 'only', 'store', 'out'], flags: ['dry-run']});
    const profile = profileOption('reproduce', args);
    const store = storeOption('reproduce', args);
    const dryRun = args.flags.has('dry-run');
    if (!dryRun) stopOnSigint();
    const outcome = await reproduce({profile, only: onlyOption(args), dryRun, store, outDir: args.values.get('out')});
    if (dryRun) {
      for (const t of outcome.plan.trainings) {
        process.stdout.write(`${t.cached ? 'cached ' : 'to train'}  ${t.hash}  ${t.spec.experiment}/${t.spec.name} (${t.spec.model}, ${t.spec.epochs} epochs)\n`);
      }
      process.stdout.write(`${estimateLine(outcome.plan, store)}\n\n`);
    }
    process.stdout.write(formatClaimsTable(outcome.claims, outcome.plan.ctx.data.note ? [outcome.plan.ctx.data.note] : []));
    return 0;
  },
};
