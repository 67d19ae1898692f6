import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../../src/cli/parse-args.ts';

describe('parseCliArgs', () => {
  it('gives review defaults', () => {
    expect(parseCliArgs(['review'])).toEqual({
      kind: 'review',
      options: {
        repo: '.',
        base: undefined,
        head: undefined,
        format: 'text',
        output: undefined,
        failOn: undefined,
        config: undefined,
        model: true,
        color: undefined,
        verbose: false,
      },
    });
  });

  it('reads every review option', () => {
    const command = parseCliArgs([
      'review',
      '--repo',
      '../svc',
      '--base',
      'origin/main',
      '--head',
      'feature/x',
      '--format',
      'sarif',
      '--output',
      'out/review.sarif',
      '--fail-on',
      'medium',
      '--config',
      'ci/architect.yml',
      '--no-model',
      '--no-color',
      '--verbose',
    ]);
    expect(command).toEqual({
      kind: 'review',
      options: {
        repo: '../svc',
        base: 'origin/main',
        head: 'feature/x',
        format: 'sarif',
        output: 'out/review.sarif',
        failOn: 'medium',
        config: 'ci/architect.yml',
        model: false,
        color: false,
        verbose: true,
      },
    });
  });

  it('accepts --opt=value and short flags', () => {
    const command = parseCliArgs([
      'review',
      '--format=json',
      '-o',
      'r.json',
      '-c',
      'a.yml',
    ]);
    expect(
      command.kind === 'review' && [
        command.options.format,
        command.options.output,
        command.options.config,
      ],
    ).toEqual(['json', 'r.json', 'a.yml']);
  });

  it.each([
    [['help'], 'help'],
    [['--help'], 'help'],
    [['-h'], 'help'],
    [['review', '--help'], 'help'],
    [['--version'], 'version'],
    [['-v'], 'version'],
  ])('%j is %s', (argv, kind) => {
    expect(parseCliArgs(argv).kind).toBe(kind);
  });

  it.each([
    [[], /missing command/],
    [['lint'], /unknown command "lint"/],
    [
      ['review', '--format', 'html'],
      /--format must be one of text, markdown, json, sarif \(got "html"\)/,
    ],
    [
      ['review', '--fail-on', 'blocker'],
      /--fail-on must be one of critical, high, medium, low/,
    ],
    [['review', '--bogus'], /Unknown option '--bogus'/],
    [['review', '--format'], /argument missing/],
    [['review', 'extra'], /Unexpected argument 'extra'/],
    [['review', '--repo='], /--repo needs a value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
