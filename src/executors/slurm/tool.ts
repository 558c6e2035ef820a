import {execFile} from 'node:child_process';
import {ReproError} from '../../util/errors';

/** The longest any one Slurm client call may take (with munged down every call hangs ~50 s). */
export function defaultToolTimeoutMs(): number {
  const raw = process.env.REPRO_SLURM_TIMEOUT_S;
  const s = raw === undefined ? 30 : Number(raw);
  if (!Number.isFinite(s) || s <= 0) throw new ReproError(`$REPRO_SLURM_TIMEOUT_S must be a positive number of seconds, got "${raw}"`);
  return s * 1000;
}

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one Slurm command-line tool, bounded by a timeout (the child is killed when it passes).
 * A missing tool or a timeout is a ReproError naming the command and what to check; a non-zero
 * exit is returned for the caller to interpret (squeue on an unknown job id, sacct without
 * accounting).
 */
export function runTool(cmd: string, args: readonly string[], timeoutMs = defaultToolTimeoutMs()): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, {timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20, encoding: 'utf8'}, (err, stdout, stderr) => {
      const line = `\`${cmd} ${args.join(' ')}\``;
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new ReproError(`${cmd} not found: the slurm executor drives Slurm through its command-line tools`,
          {fix: 'run on a Slurm login node (or install slurm-client), or use --executor local'}));
        return;
      }
      if (err && (err as {killed?: boolean}).killed) {
        reject(new ReproError(`${line} did not answer within ${timeoutMs / 1000} s`,
          {fix: 'check that slurmctld and munged are up (`sinfo`), and $SLURM_CONF; raise $REPRO_SLURM_TIMEOUT_S on a slow cluster'}));
        return;
      }
      const code = err ? (typeof (err as {code?: unknown}).code === 'number' ? (err as {code: number}).code : 1) : 0;
      resolve({code, stdout: String(stdout), stderr: String(stderr)});
    });
  });
}
