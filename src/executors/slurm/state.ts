/**
 * Slurm job states as the executor sees them. Slurm only explains: whether a run is done is
 * decided by its result in the store.
 */
export type Phase = 'queued' | 'running' | 'completed' | 'failed' | 'unknown';

const QUEUED = new Set(['PENDING', 'CONFIGURING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESV_DEL_HOLD', 'SUSPENDED', 'STOPPED', 'SPECIAL_EXIT', 'RESIZING']);
const RUNNING = new Set(['RUNNING', 'COMPLETING', 'SIGNALING', 'STAGE_OUT']);

/** What each failing end state means for a run, said to a person. */
const FAILURES: Record<string, string> = {
  FAILED: 'the task exited with an error',
  TIMEOUT: 'the task ran past its time limit (raise it with --slurm-args "--time=…"; the retry resumes from the last checkpoint)',
  OUT_OF_MEMORY: 'the task ran out of memory (raise it with --slurm-args "--mem=…")',
  CANCELLED: 'the task was cancelled (scancel, or by an administrator)',
  NODE_FAIL: 'the node running the task failed',
  PREEMPTED: 'the task was preempted by a higher-priority job (the retry resumes from the last checkpoint)',
  BOOT_FAIL: 'the node failed to boot',
  DEADLINE: 'the task reached its deadline',
  REVOKED: 'the task was revoked (federation)',
};

export function phaseOf(state: string): Phase {
  const s = state.split(/\s+/)[0].toUpperCase().replace(/\+$/, '');
  if (QUEUED.has(s)) return 'queued';
  if (RUNNING.has(s)) return 'running';
  if (s === 'COMPLETED') return 'completed';
  if (s in FAILURES || s.startsWith('CANCELLED')) return 'failed';
  return 'unknown';
}

export function explainState(state: string): string {
  const s = state.split(/\s+/)[0].toUpperCase().replace(/\+$/, '');
  return FAILURES[s] ?? (s.startsWith('CANCELLED') ? FAILURES.CANCELLED : `Slurm state ${state}`);
}

/** One array task as Slurm reports it. `exitCode` is "code:signal" when known. */
export interface TaskState {
  readonly state: string;
  readonly reason?: string;
  readonly exitCode?: string;
  /** Which tool told us (squeue, scontrol, sacct). */
  readonly source: string;
}

/** The task ids of squeue's %i for an array: "4_2" → [2]; "4_[1-4%1]" / "4_[1,3,5-7]" → each id. */
export function expandArrayId(id: string): {jobId: string; tasks: number[]} | undefined {
  const m = /^(\d+)_(\d+|\[([^\]]*)\])$/.exec(id.trim());
  if (!m) return undefined;
  if (m[3] === undefined) return {jobId: m[1], tasks: [Number(m[2])]};
  const tasks: number[] = [];
  for (const part of m[3].replace(/%\d+$/, '').split(',')) {
    const r = /^(\d+)(?:-(\d+))?(?::(\d+))?$/.exec(part);
    if (!r) continue;
    const lo = Number(r[1]), hi = r[2] === undefined ? lo : Number(r[2]), step = r[3] === undefined ? 1 : Number(r[3]);
    for (let t = lo; t <= hi; t += step) tasks.push(t);
  }
  return {jobId: m[1], tasks};
}

/** `squeue -h -t all -o '%i|%T|%r'` → "jobId_task" → state. Plain job lines (no array) are keyed "jobId". */
export function parseSqueue(text: string): Map<string, TaskState> {
  const out = new Map<string, TaskState>();
  for (const line of text.split('\n')) {
    const [id, state, reason] = line.trim().split('|');
    if (!id || !state) continue;
    const reasonPart = reason && reason !== 'None' ? {reason} : {};
    const arr = expandArrayId(id);
    if (arr) for (const t of arr.tasks) out.set(`${arr.jobId}_${t}`, {state, ...reasonPart, source: 'squeue'});
    else out.set(id, {state, ...reasonPart, source: 'squeue'});
  }
  return out;
}

/** `scontrol show job -o ID` (one record per line, key=value) → "arrayJobId_task" → state with exit code. */
export function parseScontrol(text: string): Map<string, TaskState> {
  const out = new Map<string, TaskState>();
  for (const line of text.split('\n')) {
    if (!line.includes('JobState=')) continue;
    const f = new Map<string, string>();
    for (const m of line.matchAll(/(\w+)=(\S*)/g)) if (!f.has(m[1])) f.set(m[1], m[2]);
    const state = f.get('JobState')!;
    const reason = f.get('Reason');
    const entry: TaskState = {state, ...(reason && reason !== 'None' ? {reason} : {}), ...(f.get('ExitCode') ? {exitCode: f.get('ExitCode')} : {}), source: 'scontrol'};
    const job = f.get('ArrayJobId'), task = f.get('ArrayTaskId');
    if (job && task) {
      const arr = expandArrayId(`${job}_${/^\d+$/.test(task) ? task : `[${task}]`}`);
      for (const t of arr?.tasks ?? []) out.set(`${job}_${t}`, entry);
    } else if (f.get('JobId')) {
      out.set(f.get('JobId')!, entry);
    }
  }
  return out;
}

/** `sacct -n -P -X -j IDS -o JobID,State,ExitCode` → "jobId_task" → state. */
export function parseSacct(text: string): Map<string, TaskState> {
  const out = new Map<string, TaskState>();
  for (const line of text.split('\n')) {
    const [id, state, exitCode] = line.trim().split('|');
    if (!id || !state) continue;
    const arr = expandArrayId(id);
    const entry: TaskState = {state, ...(exitCode ? {exitCode} : {}), source: 'sacct'};
    if (arr) for (const t of arr.tasks) out.set(`${arr.jobId}_${t}`, entry);
    else out.set(id, entry);
  }
  return out;
}
