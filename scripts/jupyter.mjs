#!/usr/bin/env node
// `npm run jupyter [-- ARGS]`: installs the tslab kernel spec (project-local, build/jupyter/) and starts
// Debian's Jupyter Notebook server (or JupyterLab when that is what is installed) in notebooks/, with
// JUPYTER_PATH pointing at the spec. Extra arguments go to the server (e.g. -- --no-browser --ip=0.0.0.0).
import {spawn, spawnSync} from 'node:child_process';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {ensureDebianPackages} from './debian.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const python = '/usr/bin/python3';
const install = spawnSync(process.execPath, [join(root, 'scripts', 'install-kernel.mjs')], {stdio: 'inherit'});
if (install.status !== 0) process.exit(install.status ?? 1);

const has = (module) => spawnSync(python, ['-c', `import ${module}`], {stdio: 'ignore'}).status === 0;
// JupyterLab when someone installed it; otherwise Debian's Notebook server, installed here when we are root.
if (!has('notebook') && !has('jupyterlab')) {
  const log = (msg) => process.stderr.write(`[jupyter] ${msg}\n`);
  try {
    ensureDebianPackages([['jupyter-notebook', 'the Jupyter Notebook server that `npm run jupyter` starts']], {log, warn: log, cwd: root});
  } catch (err) {
    log(`could not install the server: ${err.message}`);
  }
}
const server = has('notebook') ? 'notebook' : has('jupyterlab') ? 'lab' : undefined;
if (!server) {
  process.stderr.write('[jupyter] no Jupyter server is installed for /usr/bin/python3. Install Debian\'s:\n' +
    '    sudo apt-get install -y jupyter-notebook\n' +
    '(then `npm run jupyter` again). Headless execution needs no server: `npm run notebooks`.\n');
  process.exit(1);
}
const dataDir = join(root, 'build', 'jupyter', 'share', 'jupyter');
const env = {...process.env, JUPYTER_PATH: process.env.JUPYTER_PATH ? `${dataDir}:${process.env.JUPYTER_PATH}` : dataDir};
// Jupyter refuses to start as root without --allow-root; as root here (a container, CI) that is what the user wants.
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0 && !process.argv.includes('--allow-root') ? ['--allow-root'] : [];
// New notebooks default to the TypeScript (tslab) kernel: this project's notebooks are TypeScript.
const defaultKernel = '--MultiKernelManager.default_kernel_name=tslab';
const child = spawn(python, ['-m', 'jupyter', server, `--notebook-dir=${join(root, 'notebooks')}`, defaultKernel, ...asRoot, ...process.argv.slice(2)],
  {stdio: 'inherit', env});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
