// Debian packages a script needs: installed when we are root and they are missing; otherwise the
// exact apt-get command is printed. Plain Node with no dependencies (runs before `npm ci`).
import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';

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

function version(name) {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', name], {stdio: ['ignore', 'pipe', 'ignore']}).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}

function osCodename() {
  try {
    return /^VERSION_CODENAME=(.*)$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1]?.replace(/"/g, '');
  } catch {
    return undefined;
  }
}

const LAVAPIPE_MIN_MAJOR = 23;  // Dawn refuses Mesa 22.3's lavapipe (shaderUniform*ArrayDynamicIndexing)
const BACKPORTS_FILE = '/etc/apt/sources.list.d/bookworm-backports.sources';

function hasBackportsSource() {
  const files = ['/etc/apt/sources.list', ...(existsSync('/etc/apt/sources.list.d')
    ? readdirSync('/etc/apt/sources.list.d').filter((f) => /\.(list|sources)$/.test(f)).map((f) => `/etc/apt/sources.list.d/${f}`) : [])];
  return files.some((f) => { try { return /bookworm-backports/.test(readFileSync(f, 'utf8')); } catch { return false; } });
}

function lavapipeOk() {
  const v = version('mesa-vulkan-drivers');
  return v !== undefined && version('libvulkan1') !== undefined && Number(/^(?:\d+:)?(\d+)/.exec(v)?.[1]) >= LAVAPIPE_MIN_MAJOR;
}

/**
 * The Vulkan pieces the webgpu engine's tests run on: libvulkan1 (the loader Dawn opens) and
 * Mesa's lavapipe (a CPU Vulkan driver) recent enough for Dawn. On Debian 12 that Mesa is in
 * bookworm-backports: its source is added when missing. Returns undefined when present, else why not.
 */
export function ensureVulkanLavapipe({log, warn, cwd}) {
  if (process.env.REPRO_SKIP_APT === '1') return 'REPRO_SKIP_APT=1';
  try { execFileSync('dpkg-query', ['--version'], {stdio: 'ignore'}); } catch {
    const why = 'not a Debian system: install the Vulkan loader (libvulkan1) and Mesa >= 23 lavapipe yourself';
    warn(why);
    return why;
  }
  if (lavapipeOk()) { log(`Vulkan for webgpu: libvulkan1 and Mesa lavapipe ${version('mesa-vulkan-drivers')}: present`); return undefined; }
  const bookworm = osCodename() === 'bookworm';
  const install = bookworm ? ['install', '-y', '--no-install-recommends', '-t', 'bookworm-backports', 'mesa-vulkan-drivers', 'libvulkan1']
    : ['install', '-y', '--no-install-recommends', 'mesa-vulkan-drivers', 'libvulkan1'];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    const why = `libvulkan1 and Mesa >= ${LAVAPIPE_MIN_MAJOR} lavapipe are missing (found mesa-vulkan-drivers ${version('mesa-vulkan-drivers') ?? 'none'}); ` +
      `not root, so not installing them. Install with:\n    ${bookworm && !hasBackportsSource() ? `(add bookworm-backports to apt's sources, as ${BACKPORTS_FILE}) ` : ''}` +
      `sudo apt-get update && sudo apt-get ${install.join(' ')}`;
    warn(why);
    return why;
  }
  if (bookworm && !hasBackportsSource()) {
    writeFileSync(BACKPORTS_FILE, '# Added by resnet-repro scripts/setup.mjs: Mesa >= 23 lavapipe for the webgpu engine\n' +
      'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\n' +
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n');
    log(`added the bookworm-backports apt source (${BACKPORTS_FILE}): Debian 12's own Mesa 22.3 lavapipe is too old for Dawn`);
  }
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'};
  for (const args of [['update'], install]) {
    const full = ['-o', 'DPkg::Lock::Timeout=600', ...args];
    log(`$ apt-get ${full.join(' ')}`);
    const r = spawnSync('apt-get', full, {cwd, stdio: 'inherit', env});
    if (r.status !== 0) {
      const why = `\`apt-get ${args.join(' ')}\` failed with exit code ${r.status ?? r.signal}`;
      warn(`${why}: the webgpu tests will fail (CI) or stay pending until libvulkan1 and Mesa >= ${LAVAPIPE_MIN_MAJOR} lavapipe are installed`);
      return why;
    }
  }
  if (!lavapipeOk()) {
    const why = `after installing, mesa-vulkan-drivers is ${version('mesa-vulkan-drivers') ?? 'missing'}: Dawn needs Mesa >= ${LAVAPIPE_MIN_MAJOR}`;
    warn(why);
    return why;
  }
  log(`installed libvulkan1 and Mesa lavapipe ${version('mesa-vulkan-drivers')} for the webgpu engine`);
  return undefined;
}
