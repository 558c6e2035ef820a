#!/usr/bin/env node
// Installs the tslab (TypeScript) kernel spec for the machine's Jupyter into build/jupyter/ (project-local,
// not ~/.local): the spec holds the absolute path of this checkout's tslab, so a per-user spec would
// run another checkout's code. `repro notebook` and `npm run jupyter` put build/jupyter/share/jupyter on
// JUPYTER_PATH. Plain Node, no dependencies (scripts/setup.mjs calls it). Exit 0 and a message when
// Jupyter is not installed: the notebook features say so themselves.
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const python = '/usr/bin/python3';
const tslab = join(root, 'node_modules', '.bin', 'tslab');
const prefix = join(root, 'build', 'jupyter');
const spec = join(prefix, 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json');

function installed() {
  try { return JSON.parse(readFileSync(spec, 'utf8')).argv?.[0] === tslab; } catch { return false; }
}

const jupyter = spawnSync(python, ['-c', 'import jupyter_client, nbclient, nbconvert'], {stdio: 'ignore'});
if (jupyter.status !== 0) {
  process.stderr.write('[kernel] Jupyter is not installed for /usr/bin/python3: not installing the tslab kernel spec ' +
    '(apt-get install jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel)\n');
  process.exit(0);
}
if (!existsSync(tslab)) {
  process.stderr.write(`[kernel] ${tslab} is missing: run \`npm ci\` first\n`);
  process.exit(1);
}
if (installed() && !process.argv.includes('--force')) process.exit(0);
const r = spawnSync(tslab, ['install', '--python', python, '--binary', tslab, '--prefix', prefix], {stdio: 'inherit'});
if (r.status !== 0 || !installed()) {
  process.stderr.write(`[kernel] \`tslab install\` failed (exit ${r.status})\n`);
  process.exit(1);
}
process.stderr.write(`[kernel] tslab kernel spec installed in ${dirname(spec)}\n`);
