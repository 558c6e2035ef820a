import {ReproError} from '../../util/errors';
import {parseSacct, parseScontrol, parseSqueue, phaseOf, type TaskState} from './state';
import {runTool} from './tool';

/** One array task: the array's job id and the task's index. */
export interface TaskRef {
  readonly jobId: string;
  readonly task: number;
}

export const taskKey = (t: TaskRef) => `${t.jobId}_${t.task}`;

/** What the executor asks of Slurm; a stub replaces it in tests that need no tools at all. */
export interface SlurmClient {
  /** Submits a batch script; returns the job id. */
  submit(script: string, sbatchArgs: readonly string[]): Promise<string>;
  /** The state of each task Slurm still knows, keyed by taskKey. */
  states(tasks: readonly TaskRef[]): Promise<Map<string, TaskState>>;
  cancel(jobIds: readonly string[]): Promise<void>;
}

/**
 * Slurm through its command-line tools, each call bounded (runTool): sbatch --parsable, squeue -o
 * (text formats: --json changes between versions), scontrol show job -o for exit codes and for
 * jobs squeue no longer lists, and sacct only where accounting is enabled (probed once).
 */
export class CliSlurm implements SlurmClient {
  private sacctWorks: boolean | undefined;

  async submit(script: string, sbatchArgs: readonly string[]): Promise<string> {
    const r = await runTool('sbatch', ['--parsable', ...sbatchArgs, script]);
    const id = r.stdout.trim().split(';')[0];
    if (r.code !== 0 || !/^\d+$/.test(id)) {
      throw new ReproError(`sbatch refused the job array ${script}: ${(r.stderr || r.stdout).trim() || `exit code ${r.code}`}`,
        {fix: 'check the options given with --slurm-args (partition, account, --gres) against `sinfo`, and the script kept at that path'});
    }
    return id;
  }

  async states(tasks: readonly TaskRef[]): Promise<Map<string, TaskState>> {
    const jobIds = [...new Set(tasks.map((t) => t.jobId))];
    const out = new Map<string, TaskState>();
    if (jobIds.length === 0) return out;
    const q = await runTool('squeue', ['-h', '-t', 'all', '-j', jobIds.join(','), '-o', '%i|%T|%r']);
    if (q.code === 0) for (const [k, v] of parseSqueue(q.stdout)) out.set(k, v);
    // Exit codes are not in squeue's output, and jobs older than MinJobAge are not either.
    const ask = [...new Set(tasks.filter((t) => {
      const s = out.get(taskKey(t));
      return s === undefined || phaseOf(s.state) === 'failed';
    }).map((t) => t.jobId))];
    for (const jobId of ask) {
      const c = await runTool('scontrol', ['show', 'job', '-o', jobId]);
      if (c.code === 0) for (const [k, v] of parseScontrol(c.stdout)) if (k.startsWith(`${jobId}_`)) out.set(k, v);
    }
    const still = [...new Set(tasks.filter((t) => !out.has(taskKey(t))).map((t) => t.jobId))];
    if (still.length && this.sacctWorks !== false) {
      const a = await runTool('sacct', ['-n', '-P', '-X', '-j', still.join(','), '-o', 'JobID,State,ExitCode']);
      this.sacctWorks = a.code === 0; // "accounting storage is disabled" on clusters without slurmdbd
      if (a.code === 0) for (const [k, v] of parseSacct(a.stdout)) if (!out.has(k)) out.set(k, v);
    }
    return out;
  }

  async cancel(jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    const r = await runTool('scancel', [...jobIds]);
    if (r.code !== 0) throw new ReproError(`scancel ${jobIds.join(' ')} failed: ${r.stderr.trim() || `exit code ${r.code}`}`);
  }
}
