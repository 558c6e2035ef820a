import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {REPO_ROOT} from '../runs/code_version';

/** Debian's Python, which has Jupyter (not the pyenv python3 first on PATH). */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const NOTEBOOKS_DIR = join(REPO_ROOT, 'notebooks');
export const KERNEL_NAME = 'tslab';
/** Project-local kernel spec (scripts/install-kernel.mjs): goes on JUPYTER_PATH. */
export const JUPYTER_DATA_DIR = join(REPO_ROOT, 'build', 'jupyter', 'share', 'jupyter');
const TSLAB_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'tslab');

/** The environment for a Jupyter process that must find the project's tslab kernel spec. */
export function jupyterEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const path = base.JUPYTER_PATH ? `${JUPYTER_DATA_DIR}:${base.JUPYTER_PATH}` : JUPYTER_DATA_DIR;
  // PYDEVD_DISABLE_FILE_VALIDATION: silences Debian's debugpy warning that otherwise fills stderr.
  return {...base, JUPYTER_PATH: path, PYDEVD_DISABLE_FILE_VALIDATION: '1'};
}

function kernelSpecCurrent(): boolean {
  try {
    const spec = JSON.parse(readFileSync(join(JUPYTER_DATA_DIR, 'kernels', KERNEL_NAME, 'kernel.json'), 'utf8')) as
      {argv?: string[]};
    return spec.argv?.[0] === TSLAB_BIN;
  } catch {
    return false;
  }
}

/**
 * Why notebooks cannot run here (what is missing and how to get it), or undefined when they can.
 * Installs the kernel spec when only that is missing.
 */
export function notebookSupportMissing(): string | undefined {
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} not found (install Debian's python3 and jupyter-nbconvert)`;
  const py = spawnSync(SYSTEM_PYTHON, ['-c', 'import jupyter_client, nbclient, nbconvert, ipykernel'], {encoding: 'utf8'});
  if (py.status !== 0) {
    return 'Jupyter is not installed for /usr/bin/python3: apt-get install jupyter-nbconvert jupyter-client ' +
      'python3-nbclient python3-ipykernel (scripts/setup.mjs does it as root)';
  }
  if (!existsSync(TSLAB_BIN)) return `${TSLAB_BIN} not found: run \`npm ci\` (tslab is a devDependency)`;
  if (!kernelSpecCurrent()) {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'install-kernel.mjs')], {encoding: 'utf8'});
    if (r.status !== 0 || !kernelSpecCurrent()) return `installing the tslab kernel spec failed: ${r.stderr.trim()}`;
  }
  return undefined;
}
