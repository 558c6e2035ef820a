/**
 * Progress of long work: a redrawn bar with rate and ETA on a TTY, one line per epoch otherwise
 * (CI logs and pipes stay readable).
 */
export interface ProgressSink {
  /** Within an epoch: `done` of `total` images. */
  batch(label: string, done: number, total: number, imgPerSec: number, etaSec: number): void;
  /** One finished epoch's line. */
  epoch(line: string): void;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60), sec = Math.round(s % 60);
  return m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

export function consoleProgress(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const tty = stream.isTTY === true;
  let lastDraw = 0;
  return {
    batch(label, done, total, imgPerSec, etaSec) {
      if (!tty) return;
      const now = Date.now();
      if (now - lastDraw < 200 && done < total) return;
      lastDraw = now;
      const width = 24, filled = Math.round((done / total) * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      stream.write(`\r${label} ${bar} ${done}/${total} ${imgPerSec.toFixed(0)} img/s ETA ${formatSeconds(etaSec)}\x1b[K`);
    },
    epoch(line) {
      stream.write(tty ? `\r${line}\x1b[K\n` : `${line}\n`);
    },
  };
}

export const silentProgress: ProgressSink = {batch() {}, epoch() {}};
