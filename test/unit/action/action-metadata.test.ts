import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readInputs } from '../../../src/action/inputs.ts';

/** action.yml is what the runner reads: it must parse, run on node24, and declare exactly the inputs the entry reads. */
describe('action.yml', () => {
  const action = parse(readFileSync('action.yml', 'utf8')) as {
    runs: { using: string; main: string };
    inputs: Record<string, { default?: string }>;
    outputs: Record<string, unknown>;
  };

  it('runs the plain-JavaScript entry on node24', () => {
    expect(action.runs.using).toBe('node24');
    expect(action.runs.main).toBe('src/action/bootstrap.js');
    expect(existsSync(action.runs.main)).toBe(true);
    expect(Object.keys(action.outputs).sort()).toEqual([
      'conclusion',
      'sarif-file',
    ]);
  });

  it('declares the inputs the entry reads, with defaults it accepts', () => {
    expect(Object.keys(action.inputs).sort()).toEqual([
      'anthropic-api-key',
      'config',
      'fail-on',
      'github-token',
      'post',
      'sarif-file',
    ]);
    // The runner passes each input, defaults included, as INPUT_<NAME>.
    const env = Object.fromEntries(
      Object.entries(action.inputs).map(([name, input]) => [
        `INPUT_${name.toUpperCase()}`,
        name === 'github-token' ? 'ghs_token' : (input.default ?? ''),
      ]),
    );
    expect(readInputs(env)).toEqual({
      token: 'ghs_token',
      post: 'auto',
      sarifFile: 'backend-architect.sarif',
    });
  });
});
