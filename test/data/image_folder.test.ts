import {strict as assert} from 'node:assert';
import {join} from 'node:path';
import {loadImageFolder} from '../../src/data/image_folder';
import {ReproError} from '../../src/util/errors';
import {flatRgba, jpegBytes, pngBytes, tempDir, writeFile} from './fixtures';

/** A 4×3 RGBA gradient: pixel (y, x) = (10x, 20y, 5x+5y, alpha). */
function gradient(alpha = 255): Uint8Array {
  const out = new Uint8Array(4 * 3 * 4);
  for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) out.set([10 * x, 20 * y, 5 * x + 5 * y, alpha], (y * 4 + x) * 4);
  return out;
}

describe('data/image_folder', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => { t = tempDir('imgfolder'); });
  afterEach(() => t.cleanup());

  it('reads train/ and test/ class folders: PNG pixels exact, classes sorted, RGBA and grayscale handled', () => {
    writeFile(join(t.dir, 'train', 'street', 'a.png'), pngBytes(4, 3, gradient(128)));
    writeFile(join(t.dir, 'train', 'forest', 'b.jpg'), jpegBytes(4, 3, flatRgba(4, 3, [60, 60, 60])));
    writeFile(join(t.dir, 'train', 'forest', 'notes.txt'), 'ignored');
    writeFile(join(t.dir, 'test', 'street', 'c.PNG'), pngBytes(4, 3, gradient()));
    const d = loadImageFolder(t.dir);
    assert.deepEqual(d.train.classes, ['forest', 'street']);
    assert.deepEqual([...d.train.labels], [0, 1]);
    assert.deepEqual([d.train.height, d.train.width, d.train.channels], [3, 4, 3]);
    const png = d.train.images.subarray(4 * 3 * 3); // the second image
    assert.deepEqual([...png.subarray((2 * 4 + 3) * 3, (2 * 4 + 3) * 3 + 3)], [30, 40, 25]); // alpha dropped
    assert.ok(Math.abs(d.train.images[0] - 60) <= 2);
    assert.deepEqual([...d.test.labels], [1]);
    const gray = loadImageFolder(t.dir, {channels: 1});
    assert.equal(gray.train.channels, 1);
    assert.equal(gray.test.images[1 * 4 + 2], Math.round((20 * 299 + 20 * 587 + 15 * 114) / 1000));
  });

  it('resizes to a given size (Kaggle\'s nested seg_train/seg_train layout)', () => {
    writeFile(join(t.dir, 'seg_train', 'seg_train', 'sea', 'a.png'), pngBytes(4, 3, flatRgba(4, 3, [1, 2, 3])));
    writeFile(join(t.dir, 'seg_train', 'seg_train', 'sea', 'b.png'), pngBytes(2, 2, flatRgba(2, 2, [7, 8, 9])));
    writeFile(join(t.dir, 'seg_test', 'seg_test', 'sea', 'c.png'), pngBytes(5, 5, flatRgba(5, 5, [4, 5, 6])));
    const d = loadImageFolder(t.dir, {size: 8});
    assert.deepEqual([d.train.height, d.train.width, d.train.count, d.test.count], [8, 8, 2, 1]);
    assert.deepEqual([...d.train.images.subarray(8 * 8 * 3 + 21, 8 * 8 * 3 + 24)], [7, 8, 9]);
    assert.throws(() => loadImageFolder(t.dir), /differs from 4×3.*\n\s*expected: images of one size/);
  });

  it('an unreadable image is an error naming the file and what was expected', () => {
    writeFile(join(t.dir, 'train', 'a', 'ok.png'), pngBytes(4, 3, gradient()));
    writeFile(join(t.dir, 'train', 'a', 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\n truncated'));
    writeFile(join(t.dir, 'test', 'a', 'x.png'), pngBytes(4, 3, gradient()));
    assert.throws(() => loadImageFolder(t.dir), (err: unknown) => {
      assert.ok(err instanceof ReproError);
      assert.match(err.message, /train\/a\/broken\.png: unreadable image/);
      assert.match(err.message, /expected: a complete JPEG or PNG file/);
      return true;
    });
  });

  it('without train/test folders, holds out a seeded 20% as test', () => {
    for (let i = 0; i < 10; i++) writeFile(join(t.dir, i % 2 ? 'b' : 'a', `${i}.png`), pngBytes(2, 2, flatRgba(2, 2, [i, i, i])));
    const a = loadImageFolder(t.dir);
    const seen: [number, number][] = [];
    const b = loadImageFolder(t.dir, {cache: false, progress: (done, total) => seen.push([done, total])});
    assert.deepEqual(seen, [[10, 10]], 'progress reports the end (and every 500 images)');
    const c = loadImageFolder(t.dir); // from the decoded cache
    assert.deepEqual([a.train.count, a.test.count], [8, 2]);
    assert.deepEqual(a.test.images, b.test.images);
    assert.deepEqual(c.train.images, b.train.images);
    assert.deepEqual(c.train.labels, b.train.labels);
    assert.deepEqual([c.checksum, c.train.classes], [b.checksum, b.train.classes]);
  });
});
