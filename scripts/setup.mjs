#!/usr/bin/env node
// Set-up shared by `npm test`, `npm run reproduce` and `npm run bench` (their "pre" scripts):
// system packages, npm dependencies, the TypeScript build and the native engine, each step
// skipped when already done. Plain Node with no dependencies: it runs before anything is installed.
import {spawnSync} from 'node:child_process';
import {existsSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {ensureDebianPackages, ensureVulkanLavapipe} from './debian.mjs';
import {SLURM_PACKAGES} from './slurm-cluster.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Quiet unless something fails: with nothing to do it prints nothing; a step that does work (minutes
// of npm ci or a native build) says so in one line; a tool's own output is shown only when it fails.
// --verbose (or REPRO_SETUP_VERBOSE=1) shows every check and every tool's output.
const verbose = process.argv.includes('--verbose') || process.env.REPRO_SETUP_VERBOSE === '1';
const log = (msg) => { if (verbose) process.stderr.write(`[setup] ${msg}\n`); };
const step = (msg) => process.stderr.write(`[setup] ${msg}\n`);
const warn = (msg) => process.stderr.write(`[setup] WARNING: ${msg}\n`);

// Debian packages and what each is for. Missing ones are installed when we are root;
// otherwise we say exactly what to install and carry on (the features that need them say so loudly).
const DEBIAN_PACKAGES = [
  ['libdnnl-dev', 'oneDNN, for the native cpu-native training engine'],
  ['python3-torch', 'PyTorch, the reference implementation (forward-equivalence tests, benchmark peer)'],
  ['python3-torchvision', 'torchvision models, the reference implementation'],
  // python3-torch needs only some libblas.so.3: alone, that is the reference BLAS (a 2048² matmul at
  // 8 GFLOP/s here, against ≈ 450 with OpenBLAS), which would handicap the benchmark peer.
  ['libopenblas0-pthread', 'an optimised BLAS for PyTorch, the benchmark peer'],
  ['chromium', 'headless browser that renders the PDF report and PNG figures'],
  ['poppler-utils', 'pdftotext, used by the report tests'],
  ['jupyter-nbconvert', 'runs the notebooks headless'],
  ['jupyter-client', 'Jupyter kernel client for the notebooks'],
  ['python3-nbclient', 'notebook execution for nbconvert'],
  ['python3-ipykernel', 'Jupyter kernel machinery used by nbconvert'],
  ['jupyter-notebook', 'the Jupyter Notebook server: `npm run jupyter`, and the test that opens an executed notebook untrusted'],
  ['dataset-fashion-mnist', 'Fashion-MNIST, the data set available offline'],
  // Slurm and munge: the private test cluster of the slurm executor (scripts/slurm-cluster.mjs).
  ...SLURM_PACKAGES,
];

/** Runs a tool with its output captured; the output is printed only when it fails (or with --verbose). */
function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, {cwd: root, stdio: verbose ? 'inherit' : ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...opts});
  if (r.status !== 0) {
    if (!verbose) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed with exit code ${r.status ?? r.signal} (its output is above)`);
  }
  return r;
}

function mtime(path) {
  try { return statSync(path).mtimeMs; } catch { return 0; }
}

function ensureNpmDependencies() {
  const installedMarker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  const stale = mtime(installedMarker) === 0 ||
    mtime(installedMarker) < Math.max(mtime(lock), mtime(join(root, 'package.json')));
  if (!stale) { log('npm dependencies: up to date'); return; }
  step('installing npm dependencies (npm ci, a few minutes the first time) ...');
  // `npm ci` when a lock file is committed (reproducible), `npm install` otherwise.
  run('npm', existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
}

// tslab depends on @tslab/typescript-for-tslab (TypeScript 5.0), whose `tsc` bin npm may link over
// the project's TypeScript 5.9 in node_modules/.bin; 5.0 cannot parse the `with {'resolution-mode'}`
// imports in src/report. Point .bin/tsc back at the project's compiler so `npx tsc` builds.
function repairTscLink() {
  const link = join(root, 'node_modules', '.bin', 'tsc');
  const target = '../typescript/bin/tsc';
  let current;
  try { current = readlinkSync(link); } catch { current = undefined; }
  if (current === target || !existsSync(join(root, 'node_modules', 'typescript', 'bin', 'tsc'))) return;
  log(`node_modules/.bin/tsc pointed at ${current ?? '(nothing)'}: relinking it to the project's TypeScript`);
  rmSync(link, {force: true});
  symlinkSync(target, link);
}

// node_modules/resnet-repro → the project itself, so that any notebook (or script) in the project can
// `import * as repro from 'resnet-repro'`: tslab's TypeScript resolves it like any package (its
// "types"), and Node loads the same dist/ the CLI runs. npm ci removes it; set-up puts it back.
function linkSelf() {
  const link = join(root, 'node_modules', 'resnet-repro');
  let current;
  try { current = readlinkSync(link); } catch { current = undefined; }
  if (current === '..') return;
  log('linking node_modules/resnet-repro to the project (package self-import for notebooks)');
  rmSync(link, {force: true, recursive: false});
  symlinkSync('..', link, 'dir');
}

// The tslab kernel spec for the notebooks (project-local, build/jupyter/); a no-op without Jupyter.
function installKernelSpec() {
  const script = join(root, 'scripts', 'install-kernel.mjs');
  if (!existsSync(script)) return;
  const r = spawnSync(process.execPath, [script], {cwd: root, stdio: verbose ? 'inherit' : ['ignore', 'pipe', 'pipe']});
  if (r.status !== 0) {
    if (!verbose) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    warn('the tslab kernel spec did not install: the notebooks cannot run (see above)');
  }
}

// tsc never deletes outputs: a compiled test whose source was deleted would still run. Remove
// every dist/**/*.js (and its .d.ts/.map) whose .ts source is gone.
function pruneStaleOutputs(dir = join(root, 'dist')) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) { pruneStaleOutputs(path); continue; }
    const m = /^(.*)\.(js|js\.map|d\.ts)$/.exec(entry.name);
    if (!m) continue;
    const source = join(root, dir.slice(join(root, 'dist').length), `${m[1]}.ts`);
    if (!existsSync(source)) rmSync(path, {force: true});
  }
}

function buildTypeScript() {
  pruneStaleOutputs();
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
}

function buildNative() {
  const script = join(root, 'scripts', 'build-native.mjs');
  if (!existsSync(script)) return;
  // The native engine is optional: if it cannot build, everything still runs on the pure-JS
  // backend and says so loudly (build-native.mjs prints why and what to install).
  // build-native.mjs is itself quiet unless it builds (one line) or fails (the compiler's output).
  const r = spawnSync(process.execPath, [script, ...(verbose ? ['--verbose'] : [])], {cwd: root, stdio: 'inherit'});
  if (r.status !== 0) warn('the native engine did not build: training falls back to the slow pure-JS backend');
}

try {
  ensureDebianPackages(DEBIAN_PACKAGES, {log, warn, cwd: root});
  // The webgpu engine's tests run on lavapipe; a failure here is said, and those tests then fail in CI.
  ensureVulkanLavapipe({log, warn, cwd: root});
  ensureNpmDependencies();
  repairTscLink();
  linkSelf();
  buildNative();
  buildTypeScript();
  installKernelSpec();
} catch (err) {
  process.stderr.write(`[setup] FAILED: ${err.message}\n`);
  process.exit(1);
}
