// Debian packages a script needs: installed when we are root and they are missing; otherwise the
// exact apt-get command is printed. Plain Node with no dependencies (runs before `npm ci`).
import {execFileSync, spawnSync} from 'node:child_process';

function installed(name) {
  try {
    const out = execFileSync('dpkg-query', ['-W', '-f=${Status}', name], {stdio: ['ignore', 'pipe', 'ignore']});
    return out.toString().includes('install ok installed');
  } catch {
    return false;
  }
}

/**
 * `packages`: [name, why] pairs. Returns the names still missing afterwards (empty when all are
 * there). `log`/`warn` print with the caller's prefix. REPRO_SKIP_APT=1 skips the check.
 */
export function ensureDebianPackages(packages, {log, warn, cwd}) {
  if (process.env.REPRO_SKIP_APT === '1') { log('REPRO_SKIP_APT=1: not checking Debian packages'); return []; }
  try { execFileSync('dpkg-query', ['--version'], {stdio: 'ignore'}); } catch {
    warn(`dpkg-query not found: not a Debian system. Install the equivalents of: ${packages.map(([p]) => p).join(' ')}`);
    return packages.map(([p]) => p);
  }
  const missing = packages.filter(([p]) => !installed(p));
  if (missing.length === 0) { log('Debian packages: all present'); return []; }
  const names = missing.map(([p]) => p);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    warn(`missing Debian packages (not root, so not installing them):\n` +
      missing.map(([p, why]) => `    ${p}: ${why}`).join('\n') +
      `\n  Install them with:\n    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${names.join(' ')}`);
    return names;
  }
  log(`installing missing Debian packages: ${names.join(' ')}`);
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
  // Wait for another apt/dpkg (a parallel set-up) rather than fail on its lock.
  for (const args of [['update'], ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', ...names]]) {
    log(`$ apt-get ${args.join(' ')}`);
    const r = spawnSync('apt-get', args, {cwd, stdio: 'inherit', env});
    if (r.status !== 0) throw new Error(`\`apt-get ${args.join(' ')}\` failed with exit code ${r.status ?? r.signal}`);
  }
  return names.filter((n) => !installed(n));
}
