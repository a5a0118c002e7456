import { CliSpec, parseCli, usageOf } from './cli-args';

const SPEC: CliSpec = {
  name: 'demo',
  summary: 'a demo',
  synopsis: ['--file FILE [--tag T]...'],
  options: {
    file: { type: 'string', short: 'f', value: 'FILE', help: 'the file' },
    tag: { type: 'string', multiple: true, help: 'a tag' },
    dry: { type: 'boolean', help: 'change nothing' },
  },
};

describe('the CLIs\' argument parser', () => {
  it('reads long, short, = and repeated flags, booleans and positionals; -- ends the flags', () => {
    expect(parseCli(SPEC, ['--file', 'a', '--tag=x', '--tag', 'y', '--dry', 'p', '--', '--not-a-flag'])).toEqual({
      kind: 'ok',
      values: { file: 'a', tag: ['x', 'y'], dry: true },
      positionals: ['p', '--not-a-flag'],
    });
    expect(parseCli(SPEC, ['-f', 'b'])).toEqual({ kind: 'ok', values: { file: 'b' }, positionals: [] });
  });

  it('--help or -h anywhere wins, even beside an unknown flag', () => {
    expect(parseCli(SPEC, ['--file', 'a', '--help'])).toEqual({ kind: 'help' });
    expect(parseCli(SPEC, ['--frobnicate', '-h'])).toEqual({ kind: 'help' });
    expect(parseCli(SPEC, ['--', '--help']).kind).toBe('ok');
  });

  it('says what is wrong in a few words', () => {
    expect(parseCli(SPEC, ['--foo'])).toEqual({ kind: 'error', message: 'unknown option --foo' });
    expect(parseCli(SPEC, ['-x'])).toEqual({ kind: 'error', message: 'unknown option -x' });
    expect(parseCli(SPEC, ['--file'])).toEqual({ kind: 'error', message: '--file needs a value' });
    expect(parseCli(SPEC, ['--file', '--dry'])).toEqual({ kind: 'error', message: '--file needs a value' });
    expect(parseCli(SPEC, ['--file='])).toEqual({ kind: 'error', message: '--file needs a value' });
    expect(parseCli(SPEC, ['--dry=yes'])).toEqual({ kind: 'error', message: '--dry takes no value' });
    expect(parseCli(SPEC, ['--file', 'a', '--file', 'b'])).toEqual({ kind: 'error', message: '--file given twice' });
  });

  it('the usage names the npm script, every option and --help', () => {
    expect(usageOf(SPEC).split('\n')).toEqual([
      'demo: a demo',
      'usage:',
      '  npm run demo -- --file FILE [--tag T]...',
      'options:',
      '  -f, --file FILE        the file',
      '  --tag                  a tag (repeatable)',
      '  --dry                  change nothing',
      '  -h, --help             this usage, and nothing else',
    ]);
  });
});
