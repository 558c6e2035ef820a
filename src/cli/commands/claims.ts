import {existsSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import type {ClaimVerdict} from '../../claims/claim';
import type {Command} from '../command';
import {parseArgs} from '../args';
import {onlyOption, profileOption} from '../profile_option';
import {storeOption} from '../store_option';
import {reproduce} from '../../pipeline/reproduce';
import {baselineDir} from '../../pipeline/baselines';
import {selectExperiments} from '../../pipeline/plan';
import {claimCells} from '../../report/format_claim';
import {notRunGroups} from '../../report/html';
import {ReproError} from '../../util/errors';

const USAGE = `usage: repro claims [--profile smoke|quick|standard|paper] [--only IDS] [--json] [--store DIR]
       repro claims --baseline smoke|quick|standard [--only IDS] [--json]

Evaluates every claim of the profile on the results in the run store (training nothing) and prints,
aligned: the claim, the paper's value, ours (estimate [95% interval, or the level it names], n seeds,
in the claim's unit), the verdict; then, once, how to run what was not run here.
  --baseline P  the committed verdicts of reports/baselines/P/claims.json, read directly (no run
                store, no training): what a fresh clone shows without running anything`;

/** The committed verdicts of a baseline, or an error naming the file and how to make it. */
export function readBaselineClaimsFile(profile: string): ClaimVerdict[] {
  const file = join(baselineDir(profile), 'claims.json');
  if (!existsSync(file)) {
    throw new ReproError(`repro claims --baseline ${profile}: ${relative(process.cwd(), file) || file} does not exist`,
      {expected: 'a committed baseline (reports/baselines/<profile>/claims.json)', fix: `generate it with \`npm run baselines -- --profile ${profile}\`, or pick smoke or quick`});
  }
  try {
    const claims = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(claims)) throw new Error('not a JSON array');
    return claims as ClaimVerdict[];
  } catch (err) {
    throw new ReproError(`repro claims --baseline ${profile}: ${file} is not readable (${(err as Error).message})`,
      {expected: 'a JSON array of claim verdicts', fix: `restore it with \`git checkout -- ${relative(process.cwd(), file) || file}\``});
  }
}

function clip(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

/** The aligned table: id, paper, ours, verdict; then each command for what was not run, once. */
export function formatClaimsTable(claims: readonly ClaimVerdict[], sharedNotes: readonly string[] = []): string {
  const rows = claims.map((c) => {
    const cells = claimCells(c);
    return [c.id, clip(cells.paper, 44), cells.ours, c.verdict];
  });
  const header = ['claim', 'paper', 'ours', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const out = [line(header), ...rows.map(line)];
  for (const c of claims) {
    if (c.verdict === 'inconclusive' && c.decide) out.push(`${c.id}: would decide it: ${c.decide}`);
  }
  const groups = notRunGroups(claims, sharedNotes);
  if (sharedNotes.length) out.push('', ...sharedNotes.map((n) => `data: ${n}`));
  if (groups.length) {
    out.push('', 'not run here:');
    for (const g of groups) out.push(`  ${g.ids.join(', ')}: ${g.reasons.join(' / ')}`, ...(g.command ? [`    run: ${g.command}`] : []));
  }
  return out.join('\n') + '\n';
}

export const claimsCommand: Command = {
  name: 'claims',
  summary: 'the verdicts: from stored results (no training), or --baseline P from the committed ones',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('claims', argv, {values: ['profile', 'only', 'store', 'baseline'], flags: ['json']});
    const baseline = args.values.get('baseline');
    let claims: readonly ClaimVerdict[];
    let shared: string[] = [];
    if (baseline !== undefined) {
      if (args.values.has('store') || args.values.has('profile')) {
        throw new ReproError('repro claims: --baseline reads the committed verdicts and takes no --store or --profile',
          {fix: 'drop --store/--profile, or drop --baseline to evaluate the store'});
      }
      // Only the profile names are accepted: never a path assembled from user input.
      claims = readBaselineClaimsFile(profileOption('claims', {...args, values: new Map([['profile', baseline]])}));
      if (onlyOption(args).length) {
        const ids = new Set(selectExperiments(onlyOption(args)).flatMap((e) => e.claims.map((c) => c.id)));
        claims = claims.filter((c) => ids.has(c.id));
      }
    } else {
      const profile = profileOption('claims', args);
      const outcome = await reproduce({profile, only: onlyOption(args), noTraining: true, noReport: true,
        store: storeOption('claims', args), log: () => {}});
      claims = outcome.claims;
      if (outcome.plan.ctx.data.note) shared = [outcome.plan.ctx.data.note];
    }
    if (args.flags.has('json')) {
      process.stdout.write(JSON.stringify(claims, null, 2) + '\n');
      return 0;
    }
    // A baseline's shared data note is the one its rows repeat: find it as the most common note ending.
    if (baseline !== undefined) shared = commonDataNote(claims);
    process.stdout.write(formatClaimsTable(claims, shared));
    return 0;
  },
};

/** The data note that several claims of a committed baseline end with (the stand-in data set), if any. */
function commonDataNote(claims: readonly ClaimVerdict[]): string[] {
  const counts = new Map<string, number>();
  for (const c of claims) {
    const last = c.note?.split('; ').pop();
    if (last && /stands in/.test(last)) counts.set(last, (counts.get(last) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0];
  return best && best[1] > 1 ? [best[0]] : [];
}
