import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {arch, cpus} from 'node:os';
import {join} from 'node:path';

/**
 * oneDNN's instruction-set levels, best first, with the /proc/cpuinfo flags each needs (as oneDNN
 * 2.x detects them). The level picks the convolution kernels; their rounding differs between levels.
 */
const ONEDNN_ISAS: readonly (readonly [string, readonly string[]])[] = [
  ['avx512_core_amx', ['amx_tile', 'amx_int8', 'amx_bf16', 'avx512_bf16', 'avx512_vnni', 'avx512f', 'avx512bw', 'avx512vl', 'avx512dq']],
  ['avx512_core_bf16', ['avx512_bf16', 'avx512_vnni', 'avx512f', 'avx512bw', 'avx512vl', 'avx512dq']],
  ['avx512_core_vnni', ['avx512_vnni', 'avx512f', 'avx512bw', 'avx512vl', 'avx512dq']],
  ['avx512_core', ['avx512f', 'avx512bw', 'avx512vl', 'avx512dq']],
  ['avx2_vnni', ['avx_vnni', 'avx2', 'fma']],
  ['avx2', ['avx2', 'fma']],
  ['avx', ['avx']],
  ['sse41', ['sse4_1']],
];

/** The best oneDNN level the flags allow ('unknown' when none matches, e.g. off x86). */
export function onednnIsa(flags: ReadonlySet<string>): string {
  return ONEDNN_ISAS.find(([, need]) => need.every((f) => flags.has(f)))?.[0] ?? 'unknown';
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Data and unified caches of CPU 0 from sysfs, as "L1d 48K, L2 2048K, L3 107520K" ('' where sysfs has none). */
function cacheLine(root = '/sys/devices/system/cpu/cpu0/cache'): string {
  if (!existsSync(root)) return '';
  const caches = readdirSync(root).filter((d) => /^index\d+$/.test(d)).flatMap((d) => {
    const [level, type, size] = ['level', 'type', 'size'].map((f) => read(join(root, d, f)));
    if (!level || !size || type === 'Instruction') return [];
    return [{level: Number(level), label: `L${level}${type === 'Data' ? 'd' : ''} ${size}`}];
  });
  return caches.sort((a, b) => a.level - b.level).map((c) => c.label).join(', ');
}

/**
 * The kind of CPU as far as oneDNN's choices go: the instruction-set level it runs at and the cache
 * sizes it blocks its convolutions by. Training repeats bit for bit on the same kind (same backend
 * and thread count); on another kind some nets round differently in the last bits, so results and
 * baselines record it. An ONEDNN_MAX_CPU_ISA cap is part of the kind.
 */
export function cpuKind(): string {
  const flags = new Set((read('/proc/cpuinfo')?.match(/^flags\s*:(.*)$/m)?.[1] ?? '').trim().split(/\s+/));
  const detected = onednnIsa(flags);
  const cap = process.env.ONEDNN_MAX_CPU_ISA ?? process.env.DNNL_MAX_CPU_ISA;
  const caches = cacheLine();
  let head = detected === 'unknown' ? `${arch()} ${cpus()[0]?.model.trim() ?? 'unknown CPU'}` : detected;
  if (cap) {
    // The level oneDNN runs at: the lower of the CPU's and the cap's (a cap it does not know is kept as said).
    const levels = ONEDNN_ISAS.map(([name]) => name), capAt = levels.indexOf(cap.toLowerCase()), cpuAt = levels.indexOf(detected);
    head = capAt > cpuAt && cpuAt >= 0 ? `${levels[capAt]} (ONEDNN_MAX_CPU_ISA=${cap} on ${detected})` : `${head} (ONEDNN_MAX_CPU_ISA=${cap})`;
  }
  return [head, ...(caches ? [caches] : [])].join(', ');
}

/**
 * The vector family of a kind (cpuKind's first word): the AVX-512 levels run the same f32 kernels
 * (VNNI, BF16 and AMX serve int8 and bf16), so kinds of one family differ only where oneDNN blocks
 * by cache size; between families every kernel changes.
 */
export function isaFamily(kind: string): string {
  const isa = kind.split(/[ ,]/)[0];
  return isa.startsWith('avx512') ? 'avx512' : isa.startsWith('avx2') ? 'avx2' : isa;
}
