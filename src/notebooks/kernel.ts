import {requestStop} from '../train/interrupt';
import type {ProgressSink} from '../train/progress';

/** Whether this code runs inside a tslab (Jupyter) kernel: tslab sets `__tslab__` before any cell runs. */
export function inKernel(): boolean {
  return (globalThis as {__tslab__?: unknown}).__tslab__ !== undefined;
}

let interruptInstalled = false;

/**
 * "Interrupt kernel" in Jupyter sends SIGINT to the kernel. tslab's own handler only abandons the
 * cell's promise (training would run on to its end); this one also asks the trainer to stop at its
 * next step. The checkpoint of the last finished epoch stays: running the cell again resumes there.
 */
export function stopTrainingOnKernelInterrupt(): void {
  if (interruptInstalled) return;
  interruptInstalled = true;
  // Registered on a later turn of the event loop, never while tslab runs a cell's code: it runs it with
  // vm's breakOnSigint, whose watchdog resets SIGINT to its default action on exit; a listener added
  // meanwhile leaves Node believing it listens, and the next interrupt would kill the kernel.
  setImmediate(() => process.on('SIGINT', () => {
    requestStop();
    process.stdout.write('interrupted: training stops at the next step; run the cell again to resume\n');
  }));
}

type TslabModule = typeof import('tslab');

function tslab(): TslabModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('tslab') as TslabModule;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60), sec = Math.round(s % 60);
  return m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/**
 * Training progress in a notebook: one updating display per run (a bar with rate and ETA, redrawn
 * in place, as tqdm does in Jupyter) and epoch lines on stdout, not on stderr (which Jupyter paints
 * red, as for errors).
 */
export function kernelProgress(): ProgressSink {
  let bar: ReturnType<TslabModule['newDisplay']> | undefined;
  let current = '';
  let lastDraw = 0;
  return {
    batch(label, done, total, imgPerSec, etaSec) {
      const run = label.replace(/ epoch .*$/, '');
      if (run !== current || bar === undefined) { bar = tslab().newDisplay(); current = run; lastDraw = 0; }
      const now = Date.now();
      if (now - lastDraw < 250 && done < total) return;
      lastDraw = now;
      const pct = Math.round((100 * done) / total);
      bar.html(`<div style="font-family:monospace">${label.replace(/&/g, '&amp;').replace(/</g, '&lt;')} ` +
        `<progress value="${done}" max="${total}" style="width:14em;vertical-align:middle"></progress> ` +
        `${pct}% · ${done}/${total} · ${imgPerSec.toFixed(0)} img/s · ETA ${formatSeconds(etaSec)}</div>`);
    },
    epoch(line) {
      process.stdout.write(`${line}\n`);
    },
  };
}
