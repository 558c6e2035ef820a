import {ReproError} from '../../util/errors';

/** What one array task asks Slurm for. */
export interface SlurmResources {
  readonly cpusPerTask: number;
  readonly mem: string;
  readonly time: string;
  /** GPUs per task (--gres=gpu:N); absent for CPU profiles. */
  readonly gpus?: number;
}

/**
 * Per-run resources by profile: the smoke and quick runs are small CPU jobs; the paper profile's
 * longest run (ResNet-110, 64k iterations) takes hours on one GPU, so it asks for one GPU and a
 * day, and a timed-out run resumes from its checkpoint on retry. Other profiles get a middle size.
 * Everything is overridable with --slurm-args (sbatch's command line wins over #SBATCH lines).
 */
export function profileResources(profile: string): SlurmResources {
  switch (profile) {
    case 'smoke': return {cpusPerTask: 1, mem: '2G', time: '00:10:00'};
    case 'quick': return {cpusPerTask: 2, mem: '8G', time: '02:00:00'};
    case 'paper': return {cpusPerTask: 8, mem: '32G', time: '1-00:00:00', gpus: 1};
    default: return {cpusPerTask: 4, mem: '16G', time: '12:00:00'};
  }
}

/** Splits --slurm-args like a shell would (whitespace, single and double quotes); no expansion. */
export function splitArgs(raw: string): string[] {
  const out: string[] = [];
  let cur = '', quote: string | undefined, has = false;
  for (const ch of raw) {
    if (quote) { if (ch === quote) quote = undefined; else cur += ch; continue; }
    if (ch === '"' || ch === "'") { quote = ch; has = true; continue; }
    if (/\s/.test(ch)) { if (has || cur) out.push(cur); cur = ''; has = false; continue; }
    cur += ch;
  }
  if (quote) throw new ReproError(`--slurm-args: unclosed ${quote} in "${raw}"`, {fix: 'close the quote, e.g. --slurm-args "--partition=gpu --time=4:00:00"'});
  if (has || cur) out.push(cur);
  for (const a of out) {
    if (!a.startsWith('-')) {
      throw new ReproError(`--slurm-args: "${a}" is not an sbatch option`, {expected: 'sbatch options such as --partition=gpu --time=4:00:00 --gres=gpu:a100:1',
        fix: 'join an option and its value with =, e.g. --account=abc'});
    }
  }
  return out;
}
