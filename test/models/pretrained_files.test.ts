import {strict as assert} from 'node:assert';
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {PRETRAINED, pretrainedInfo, resolveWeightsFile, type PretrainedWeights} from '../../src/models/pretrained';
import {fetchPretrained, listPretrained, verifyPretrainedChecksum} from '../../src/models/pretrained_files';
import {modelConfig} from '../../src/models/registry';
import {ReproError} from '../../src/util/errors';
import {serve, sink, type TestServer} from '../data/http_server';
import {tempDir, withEnv} from '../data/fixtures';

/** A registry entry for a generated file (the real ones need the internet), checked by its own sha256 prefix. */
function entryFor(body: Buffer, hex = createHash('sha256').update(body).digest('hex').slice(0, 8)): PretrainedWeights {
  return {...pretrainedInfo('resnet18.tv_in1k'), file: `resnet18-${hex}.pth`, url: `http://127.0.0.1:9/resnet18-${hex}.pth`,
    checksum: {algorithm: 'sha256-prefix', hex}};
}

describe('models/pretrained: the pinned registry', () => {
  it('pins torchvision\'s IMAGENET1K_V1 files: download.pytorch.org URL, the sha256 prefix from the file name, our model name', () => {
    assert.deepEqual(PRETRAINED.map((p) => [p.name, p.model, p.file]), [
      ['resnet18.tv_in1k', 'resnet18', 'resnet18-f37072fd.pth'],
      ['resnet34.tv_in1k', 'resnet34', 'resnet34-b627a593.pth'],
      ['resnet50.tv_in1k', 'resnet50', 'resnet50-0676ba61.pth'],
      ['resnet101.tv_in1k', 'resnet101', 'resnet101-63fe2227.pth'],
      ['resnet152.tv_in1k', 'resnet152', 'resnet152-394f9c45.pth'],
      ['resnext50_32x4d.tv_in1k', 'resnext50_32x4d', 'resnext50_32x4d-7cdf4587.pth'],
    ]);
    for (const p of PRETRAINED) {
      assert.equal(p.url, `https://download.pytorch.org/models/${p.file}`);
      assert.deepEqual(p.checksum, {algorithm: 'sha256-prefix', hex: p.file.slice(-12, -4)});
      const cfg = modelConfig(p.model);
      // torchvision's layout: bottleneck nets stride in the 3×3 conv (v1.5), 1000 classes.
      assert.ok(!('strideInBottleneck' in cfg) || cfg.strideInBottleneck === '3x3', p.model);
      assert.equal(cfg.numClasses, 1000);
    }
  });

  it('an unknown name is a ReproError listing the known ones', () => {
    assert.throws(() => pretrainedInfo('resnet18.a1_in1k'), (e: unknown) => e instanceof ReproError &&
      /unknown pretrained weights "resnet18\.a1_in1k"/.test(e.message) && e.message.includes('resnet152.tv_in1k'));
  });

  it('resolves --dir > $REPRO_WEIGHTS_DIR > data/weights/ > torch.hub\'s cache', async () => {
    const t = tempDir('weights-resolve');
    try {
      const info = pretrainedInfo('resnet34.tv_in1k');
      const hub = join(t.dir, 'torch', 'hub', 'checkpoints');
      const env = {REPRO_WEIGHTS_DIR: undefined, TORCH_HOME: join(t.dir, 'torch')};
      await withEnv(env, async () => {
        assert.deepEqual(resolveWeightsFile(info), {path: join(t.dataRoot, 'weights', info.file), origin: 'data', present: false});
        mkdirSync(hub, {recursive: true});
        writeFileSync(join(hub, info.file), 'x');
        assert.deepEqual(resolveWeightsFile(info), {path: join(hub, info.file), origin: 'torch-hub', present: true});
        mkdirSync(join(t.dataRoot, 'weights'));
        writeFileSync(join(t.dataRoot, 'weights', info.file), 'x');
        assert.equal(resolveWeightsFile(info).origin, 'data');
        assert.deepEqual(resolveWeightsFile(info, {dir: join(t.dir, 'd')}), {path: join(t.dir, 'd', info.file), origin: 'option', present: false});
      });
      await withEnv({...env, REPRO_WEIGHTS_DIR: join(t.dir, 'e')}, async () => {
        assert.deepEqual(resolveWeightsFile(info), {path: join(t.dir, 'e', info.file), origin: 'env', present: false});
        assert.equal(listPretrained().find((r) => r.name === info.name)?.origin, 'env');
      });
    } finally {
      t.cleanup();
    }
  });
});

describe('models/pretrained_files: fetch and verify against a local HTTP server', () => {
  const body = Buffer.alloc(200_000);
  for (let i = 0; i < body.length; i++) body[i] = (i * 13 + (i >> 9)) & 0xff;
  const good = entryFor(body);
  let server: TestServer;
  let t: ReturnType<typeof tempDir>;
  const restore: Record<string, string | undefined> = {};

  beforeEach(async () => {
    server = await serve(body, `/${good.file}`);
    t = tempDir('weights-fetch');
    // Nothing from this machine's torch.hub cache or environment may leak in.
    for (const k of ['REPRO_WEIGHTS_DIR', 'TORCH_HOME']) restore[k] = process.env[k];
    delete process.env.REPRO_WEIGHTS_DIR;
    process.env.TORCH_HOME = join(t.dir, 'torch');
  });
  afterEach(async () => {
    await server.close();
    for (const [k, v] of Object.entries(restore)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    t.cleanup();
  });

  it('downloads into data/weights/ with the pinned checksum checked, and then finds it present', async () => {
    const r = await fetchPretrained(good.name, {registry: [good], url: server.url, progress: sink()});
    assert.equal(r.status, 'downloaded');
    assert.equal(r.path, join(t.dataRoot, 'weights', good.file));
    assert.deepEqual(readFileSync(r.path), body);
    assert.equal(existsSync(`${r.path}.part`), false);
    const again = await fetchPretrained(good.name, {registry: [good], url: server.url, progress: sink()});
    assert.equal(again.status, 'present');
    assert.equal(server.requests.length, 1);
    const v = await verifyPretrainedChecksum(good.name, {registry: [good]});
    assert.equal(v.sha256, createHash('sha256').update(body).digest('hex'));
    assert.equal(v.origin, 'data');
  });

  it('rejects a file whose sha256 does not start with the pinned prefix: names the file, both checksums, what to do; keeps nothing', async () => {
    const actual = createHash('sha256').update(body).digest('hex');
    const wrongHex = actual.startsWith('0') ? 'ffffffff' : '00000000';
    const wrong = {...good, checksum: {algorithm: 'sha256-prefix' as const, hex: wrongHex}};
    await assert.rejects(fetchPretrained(good.name, {registry: [wrong], url: server.url, progress: sink(), retryDelayMs: 1}),
      (err: unknown) => {
        assert.ok(err instanceof ReproError);
        assert.ok(err.message.includes(good.file), err.message);
        assert.ok(err.message.includes(`sha256 starting with ${wrongHex}, got ${actual}`), err.message);
        assert.match(err.message, /what to do:/);
        return true;
      });
    const dest = join(t.dataRoot, 'weights', good.file);
    assert.equal(existsSync(dest), false);
    assert.equal(existsSync(`${dest}.part`), false);
  });

  it('resumes an interrupted download with an HTTP Range request', async () => {
    server.cutNextAfter = 70_000;
    const dest = join(t.dir, 'w', good.file);
    await assert.rejects(fetchPretrained(good.name, {registry: [good], url: server.url, dir: join(t.dir, 'w'), retries: 0, progress: sink()}),
      (err: unknown) => err instanceof ReproError && /interrupted after 70000 bytes/.test(err.message));
    assert.equal(statSync(`${dest}.part`).size, 70_000);
    const r = await fetchPretrained(good.name, {registry: [good], url: server.url, dir: join(t.dir, 'w'), progress: sink()});
    assert.equal(r.status, 'downloaded');
    assert.equal(server.requests[1].range, 'bytes=70000-');
    assert.deepEqual(readFileSync(dest), body);
  });

  it('uses a good copy in torch.hub\'s cache without downloading; a damaged one there is left alone and fetched anew', async () => {
    const hub = join(t.dir, 'torch', 'hub', 'checkpoints');
    mkdirSync(hub, {recursive: true});
    writeFileSync(join(hub, good.file), body);
    const r = await fetchPretrained(good.name, {registry: [good], url: server.url, progress: sink()});
    assert.deepEqual([r.status, r.path], ['present', join(hub, good.file)]);
    assert.equal(server.requests.length, 0);
    writeFileSync(join(hub, good.file), 'damaged');
    const again = await fetchPretrained(good.name, {registry: [good], url: server.url, progress: sink()});
    assert.deepEqual([again.status, again.path], ['downloaded', join(t.dataRoot, 'weights', good.file)]);
    assert.equal(readFileSync(join(hub, good.file), 'utf8'), 'damaged');
  });

  it('verify: a missing file names where it was looked for and the fetch command; a damaged one both checksums', async () => {
    const real = pretrainedInfo('resnet50.tv_in1k');
    await assert.rejects(verifyPretrainedChecksum(real.name), (err: unknown) => err instanceof ReproError &&
      err.message.includes(join(t.dataRoot, 'weights', real.file)) && err.message.includes('npx repro weights fetch resnet50.tv_in1k'));
    mkdirSync(join(t.dataRoot, 'weights'));
    writeFileSync(join(t.dataRoot, 'weights', real.file), 'not the weights');
    await assert.rejects(verifyPretrainedChecksum(real.name), (err: unknown) => err instanceof ReproError &&
      err.message.includes('checksum mismatch for resnet50.tv_in1k') && err.message.includes('sha256 starting with 0676ba61') &&
      err.message.includes('npx repro weights fetch resnet50.tv_in1k'));
  });
});
