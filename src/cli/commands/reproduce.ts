import type {Command} from '../command';
import {parseArgs} from '../args';
import {onlyOption, profileOption} from '../profile_option';
import {reproduce} from '../../pipeline/reproduce';
import {RunStore} from '../../runs/store';

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
    const store = new RunStore(args.values.get('store') ?? undefined);
    const dryRun = args.flags.has('dry-run');
    const outcome = await reproduce({profile, only: onlyOption(args), dryRun, store, outDir: args.values.get('out')});
    if (dryRun) {
      for (const t of outcome.plan.trainings) {
        process.stdout.write(`${t.cached ? 'cached ' : 'to train'}  ${t.hash}  ${t.spec.experiment}/${t.spec.name} (${t.spec.model}, ${t.spec.epochs} epochs)\n`);
      }
    }
    for (const c of outcome.claims) {
      process.stdout.write(`${c.id.padEnd(3)} ${c.verdict.padEnd(15)} ${c.measured === undefined ? '' : String(c.measured)}${c.note ? `  (${c.note})` : ''}\n`);
    }
    return 0;
  },
};
