import {strict as assert} from 'node:assert';
import {parseArgs, intOption} from '../../src/cli/args';
import {ReproError} from '../../src/util/errors';

describe('cli/args', () => {
  it('parses values, flags, repeated options and positionals', () => {
    const a = parseArgs('x', ['pos', '--profile', 'smoke', '--only=A1', '--json', '--param', 'a=1', '--param', 'b=2'],
      {values: ['profile', 'only'], flags: ['json'], repeated: ['param'], positional: 'NAME'});
    assert.deepEqual(a.positional, ['pos']);
    assert.equal(a.values.get('profile'), 'smoke');
    assert.equal(a.values.get('only'), 'A1');
    assert.ok(a.flags.has('json'));
    assert.deepEqual(a.repeated.get('param'), ['a=1', 'b=2']);
  });

  it('rejects an unknown option, naming it and the known ones', () => {
    assert.throws(() => parseArgs('models', ['--jsn'], {flags: ['json']}),
      (e: unknown) => e instanceof ReproError && /--jsn/.test(e.message) && /--json/.test(e.message));
  });

  it('rejects positional arguments where the command takes none', () => {
    assert.throws(() => parseArgs('claims', ['quick'], {values: ['profile']}),
      (e: unknown) => e instanceof ReproError && /unexpected argument "quick"/.test(e.message) && /--profile VALUE/.test(e.message));
  });

  it('rejects a non-integer where an integer is expected', () => {
    const a = parseArgs('x', ['--epochs', 'three'], {values: ['epochs']});
    assert.throws(() => intOption('x', a, 'epochs', 1), /--epochs must be an integer, got "three"/);
  });
});
