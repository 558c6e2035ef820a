import type {Command} from '../command';
import {parseArgs} from '../args';

const USAGE = `usage: repro reproduce [--profile smoke|quick|paper] [--only IDS] [--dry-run]

Plans every experiment of the profile, trains what is not cached, evaluates the claims and
writes reports/<profile>/ (report.pdf, report.html, claims.json, figures/).`;

export const reproduceCommand: Command = {
  name: 'reproduce',
  summary: 'plan, train what is missing, evaluate claims, write the report',
  usage: USAGE,
  async run(argv) {
    const args = parseArgs('reproduce', argv, {values: ['profile', 'only'], flags: ['dry-run']});
    const profile = args.values.get('profile') ?? 'quick';
    // The experiment registry and the report land with issue 5; until then say so plainly
    // rather than pretend: nothing is trained and no report is written.
    process.stdout.write(
      `repro reproduce (profile ${profile}): the experiment pipeline is not implemented yet.\n` +
      `NOT RUN: no experiment is registered, nothing was trained, no report was written.\n` +
      `What exists now: \`npx repro models\` (the model zoo and its parameter/FLOP counts).\n`);
    return 0;
  },
};
