import {strict as assert} from 'node:assert';
import type {Provenance} from '../../src/runs/provenance';
import {reportProvenance, type PlannedRun, type ProvenanceEnv} from '../../src/report/provenance';

const ENV: ProvenanceEnv = {git: 'env-commit', dirty: false, backend: 'cpu', device: 'env-cpu', threads: 2, node: 'v20.20.2', tfjs: '4.22.0'};

function prov(over: Partial<Provenance> = {}): Provenance {
  return {git: 'abc123', dirty: false, node: 'v20.20.2', tfjs: '4.22.0', backend: 'cpu-native', backendReason: 'addon built',
    device: 'AMD EPYC', threads: 2, codeVersion: 'cv1', data: {'fashion-mnist': 'sha256:aa'}, startedAt: 't0', endedAt: 't1', ...over};
}

describe('report/provenance', () => {
  it('takes commit, backend and checksums from the stored runs and marks unstored runs missing', () => {
    const runs: PlannedRun[] = [
      {experiment: 'B1', name: 'plain20', hash: 'h1', result: {status: 'done', provenance: prov()}},
      {experiment: 'B1', name: 'plain56', hash: 'h2', result: {status: 'diverged', provenance: prov({data: {'fashion-mnist': 'sha256:aa', synthetic: 'sha256:ss'}})}},
      {experiment: 'D1', name: 'resnet18-ft', hash: 'h3'},
    ];
    const p = reportProvenance(runs, ENV);
    assert.equal(p.commit, 'abc123');
    assert.equal(p.backend, 'cpu-native');
    assert.deepEqual(p.data, [{name: 'fashion-mnist', checksum: 'sha256:aa'}, {name: 'synthetic', checksum: 'sha256:ss'}]);
    assert.deepEqual(p.runs.map((r) => r.status), ['done', 'diverged', 'missing']);
  });

  it('shows every commit when runs were made at different ones, and dirty if any was', () => {
    const p = reportProvenance([
      {experiment: 'A', name: 'a', hash: 'h1', result: {status: 'done', provenance: prov()}},
      {experiment: 'A', name: 'b', hash: 'h2', result: {status: 'done', provenance: prov({git: 'def456', dirty: true})}},
      {experiment: 'A', name: 'c', hash: 'h3', result: {status: 'done', provenance: prov({git: 'def456'})}},
    ], ENV);
    assert.equal(p.commit, 'abc123 (1 run); def456 (2 runs)');
    assert.equal(p.dirty, true);
  });

  it('shows the WebGPU adapter with its limits when runs trained on webgpu, and no adapter otherwise', () => {
    const adapter = {vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200', driver: 'NVIDIA: 560.35', fallback: false,
      limits: {maxBufferSize: 1024}};
    const gpu = reportProvenance([{experiment: 'A', name: 'a', hash: 'h1', result: {status: 'done',
      provenance: prov({backend: 'webgpu', adapter})}}], ENV);
    assert.match(gpu.adapter ?? '', /^GPU via WebGPU\/Vulkan: NVIDIA H200 \(nvidia hopper; driver NVIDIA: 560\.35\); limits maxBufferSize=1024$/);
    assert.equal(reportProvenance([{experiment: 'A', name: 'a', hash: 'h1', result: {status: 'done', provenance: prov()}}], ENV).adapter,
      undefined);
  });

  it('shows the kind of CPU when runs record it, with the runs from before that did not, and nothing when none does', () => {
    const kind = 'avx512_core_amx, L1d 48K, L2 2048K, L3 107520K';
    const p = reportProvenance([
      {experiment: 'A', name: 'a', hash: 'h1', result: {status: 'done', provenance: prov({cpu: kind})}},
      {experiment: 'A', name: 'b', hash: 'h2', result: {status: 'done', provenance: prov()}},
    ], ENV);
    assert.equal(p.cpu, `${kind} (1 run); not recorded (1 run)`);
    assert.equal(reportProvenance([{experiment: 'A', name: 'a', hash: 'h1', result: {status: 'done', provenance: prov()}}], ENV).cpu, undefined);
  });

  it('falls back to the rendering process when no run is stored', () => {
    const p = reportProvenance([{experiment: 'A', name: 'a', hash: 'h1'}], ENV);
    assert.equal(p.commit, 'env-commit');
    assert.equal(p.device, 'env-cpu');
    assert.deepEqual(p.data, []);
  });
});
