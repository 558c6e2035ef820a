import {main} from '../../src/cli/main';

/** Runs the `repro` CLI in-process, capturing what it writes to stdout and stderr. */
export async function runCli(argv: string[]): Promise<{code: number; out: string; err: string}> {
  let out = '';
  let err = '';
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => { out += String(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => { err += String(s); return true; }) as typeof process.stderr.write;
  try {
    return {code: await main(argv), out, err};
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}
