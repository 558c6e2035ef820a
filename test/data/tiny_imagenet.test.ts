import {strict as assert} from 'node:assert';
import {readdirSync, readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {loadTinyImageNet} from '../../src/data/tiny_imagenet';
import {ReproError} from '../../src/util/errors';
import {flatRgba, jpegBytes, tempDir, writeFile, zipBytes} from './fixtures';

// Two classes, listed out of order in wnids.txt: classes are the sorted wnids.
const COLOURS: Record<string, [number, number, number]> = {n02000000: [200, 30, 30], n01000000: [20, 40, 220]};

function tinyFiles(): Map<string, Uint8Array> {
  const f = new Map<string, Uint8Array>();
  const text = (s: string) => Buffer.from(s, 'utf8');
  f.set('wnids.txt', text('n02000000\nn01000000\n'));
  f.set('words.txt', text('n01000000\tgoldfish, Carassius auratus\nn02000000\tcat\nn09999999\tunused\n'));
  for (const [wnid, rgb] of Object.entries(COLOURS)) {
    for (let i = 0; i < 3; i++) f.set(`train/${wnid}/images/${wnid}_${i}.JPEG`, jpegBytes(64, 64, flatRgba(64, 64, rgb)));
    f.set(`train/${wnid}/${wnid}_boxes.txt`, text(''));
  }
  f.set('val/images/val_0.JPEG', jpegBytes(64, 64, flatRgba(64, 64, COLOURS.n02000000)));
  f.set('val/images/val_1.JPEG', jpegBytes(64, 64, flatRgba(64, 64, COLOURS.n01000000)));
  f.set('val/val_annotations.txt', text('val_0.JPEG\tn02000000\t0\t0\t63\t63\nval_1.JPEG\tn01000000\t1\t2\t3\t4\n'));
  f.set('test/images/test_0.JPEG', jpegBytes(64, 64, flatRgba(64, 64, [0, 0, 0])));
  return f;
}

function near(actual: ArrayLike<number>, expected: readonly number[], tol: number): boolean {
  return expected.every((v, i) => Math.abs(actual[i] - v) <= tol);
}

describe('data/tiny_imagenet', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('tiny'); });
  afterEach(() => t.cleanup());

  it('loads the extracted layout: train/<wnid>/images, val via val_annotations.txt, test = val', async () => {
    for (const [p, b] of tinyFiles()) writeFile(join(t.dir, 'tiny-imagenet-200', p), b);
    const d = await loadTinyImageNet(t.dir);
    assert.deepEqual(d.train.classes, ['goldfish', 'cat']);
    assert.equal(d.train.count, 6);
    assert.deepEqual([d.train.height, d.train.width, d.train.channels], [64, 64, 3]);
    assert.deepEqual([...d.test.labels], [1, 0]);
    assert.equal(d.val, undefined);
    for (let i = 0; i < d.train.count; i++) {
      const rgb = d.train.labels[i] === 0 ? COLOURS.n01000000 : COLOURS.n02000000;
      assert.ok(near(d.train.images.subarray(i * 64 * 64 * 3 + 100 * 3), rgb, 4), `train image ${i}`);
    }
    assert.ok(near(d.test.images.subarray(64 * 64 * 3), COLOURS.n01000000, 4));
  });

  it('reads tiny-imagenet-200.zip directly, to the same data', async () => {
    const files = tinyFiles();
    for (const [p, b] of files) writeFile(join(t.dir, 'x', 'tiny-imagenet-200', p), b);
    writeFile(join(t.dir, 'z', 'tiny-imagenet-200.zip'), zipBytes(new Map([...files].map(([p, b]) => [`tiny-imagenet-200/${p}`, b]))));
    const fromDir = await loadTinyImageNet(join(t.dir, 'x'));
    const fromZip = await loadTinyImageNet(join(t.dir, 'z'));
    assert.deepEqual(fromZip.train.images, fromDir.train.images);
    assert.deepEqual(fromZip.test.labels, fromDir.test.labels);
    assert.match(fromZip.source, /tiny-imagenet-200\.zip/);
    assert.equal(fromZip.checksum, fromDir.checksum, 'one data identity for the zip and its extraction');
  });

  it('caches decoded pixels; a damaged cache is ignored and a changed source decodes again', async () => {
    const dir = join(t.dir, 'tiny');
    for (const [p, b] of tinyFiles()) writeFile(join(dir, p), b);
    const first = await loadTinyImageNet(dir);
    const cacheDir = join(t.dataRoot, '.decoded');
    const [cacheFile] = readdirSync(cacheDir);
    assert.match(cacheFile, /^tiny-imagenet-[0-9a-f]{32}\.bin$/);
    const second = await loadTinyImageNet(dir);
    assert.deepEqual(second.train.images, first.train.images);
    assert.deepEqual(second.test.labels, first.test.labels);
    assert.equal(second.checksum, first.checksum);
    const whole = readFileSync(join(cacheDir, cacheFile));
    writeFileSync(join(cacheDir, cacheFile), whole.subarray(0, whole.length - 7));
    assert.deepEqual((await loadTinyImageNet(dir)).train.images, first.train.images);
    // A new image in place of an old one (new mtime): decoded again, new identity.
    const changed = join(dir, 'train', 'n01000000', 'images', 'n01000000_0.JPEG');
    writeFileSync(changed, jpegBytes(64, 64, flatRgba(64, 64, [0, 255, 0])));
    utimesSync(changed, new Date(), new Date(Date.now() + 5000));
    const third = await loadTinyImageNet(dir);
    assert.ok(near(third.train.images, [0, 255, 0], 4), 'the first train image is the new one');
    assert.notEqual(third.checksum, first.checksum);
  });

  it('a missing val_annotations.txt is an error naming the file and its format', async () => {
    for (const [p, b] of tinyFiles()) writeFile(join(t.dir, p), b);
    rmSync(join(t.dir, 'val', 'val_annotations.txt'));
    await assert.rejects(loadTinyImageNet(t.dir), (err: unknown) => {
      assert.ok(err instanceof ReproError);
      assert.match(err.message, /missing .*val\/val_annotations\.txt/);
      assert.match(err.message, /expected: .*FILE<TAB>WNID/);
      return true;
    });
  });

  it('an unreadable JPEG is an error naming it', async () => {
    const files = tinyFiles();
    files.set('train/n01000000/images/n01000000_1.JPEG', Buffer.from('not a jpeg at all'));
    for (const [p, b] of files) writeFile(join(t.dir, p), b);
    await assert.rejects(loadTinyImageNet(t.dir), /n01000000_1\.JPEG: unreadable image/);
  });
});
