import {strict as assert} from 'node:assert';
import {cpuKind, isaFamily, onednnIsa} from '../../src/runs/cpu_kind';

const flags = (line: string) => new Set(line.split(' '));

describe('runs/cpu_kind: the kind of CPU, as far as oneDNN chooses kernels by it', () => {
  it("names oneDNN's instruction-set level from /proc/cpuinfo flags, the best the flags allow", () => {
    const avx512 = 'sse4_1 avx avx2 fma avx512f avx512bw avx512vl avx512dq';
    assert.equal(onednnIsa(flags(`${avx512} avx512_vnni avx512_bf16 amx_tile amx_int8 amx_bf16`)), 'avx512_core_amx');
    assert.equal(onednnIsa(flags(`${avx512} avx512_vnni avx512_bf16`)), 'avx512_core_bf16');
    assert.equal(onednnIsa(flags(`${avx512} avx512_vnni`)), 'avx512_core_vnni');
    assert.equal(onednnIsa(flags(avx512)), 'avx512_core');
    // AMX without AVX-512 BF16 is not oneDNN's avx512_core_amx.
    assert.equal(onednnIsa(flags(`${avx512} amx_tile amx_int8 amx_bf16`)), 'avx512_core');
    assert.equal(onednnIsa(flags('sse4_1 avx avx2 fma')), 'avx2');
    assert.equal(onednnIsa(flags('sse4_1 avx avx2 fma avx_vnni')), 'avx2_vnni');
    assert.equal(onednnIsa(flags('fp asimd evtstrm aes')), 'unknown');
  });

  it('groups kinds by vector family: the AVX-512 levels together, AVX2 with AVX2-VNNI', () => {
    assert.equal(isaFamily('avx512_core_amx, L1d 48K, L2 2048K, L3 107520K'), 'avx512');
    assert.equal(isaFamily('avx512_core, L1d 32K, L2 1024K'), 'avx512');
    assert.equal(isaFamily('avx2 (ONEDNN_MAX_CPU_ISA=AVX2 on avx512_core_amx), L1d 48K'), 'avx2');
    assert.equal(isaFamily('avx2_vnni, L1d 48K'), 'avx2');
    assert.equal(isaFamily('arm64 Neoverse-N1, L1d 64K'), 'arm64');
  });

  it("describes this machine's CPU by level and caches, and counts an ONEDNN_MAX_CPU_ISA cap as part of the kind", () => {
    const kind = cpuKind();
    assert.ok(kind.length > 3, kind);
    const saved = process.env.ONEDNN_MAX_CPU_ISA;
    process.env.ONEDNN_MAX_CPU_ISA = 'AVX2';
    try {
      assert.match(cpuKind(), /ONEDNN_MAX_CPU_ISA=AVX2/);
      assert.notEqual(cpuKind(), kind);
      // On an AVX-512 CPU the cap is the level oneDNN runs at, and so the family.
      if (isaFamily(kind) === 'avx512') assert.equal(isaFamily(cpuKind()), 'avx2');
    } finally {
      if (saved === undefined) delete process.env.ONEDNN_MAX_CPU_ISA; else process.env.ONEDNN_MAX_CPU_ISA = saved;
    }
  });
});
