import { describe, expect, it } from 'vitest';
import {
  needsWriteAccess,
  parseCommand,
} from '../../../src/github/commands/parse-command.ts';

describe('parseCommand', () => {
  it('reads each command', () => {
    expect(parseCommand('/architect review')).toEqual({ kind: 'review' });
    expect(parseCommand('/architect review security')).toEqual({
      kind: 'review',
      lens: 'security',
    });
    expect(parseCommand('/architect explain')).toEqual({ kind: 'explain' });
    expect(
      parseCommand(
        '/architect ignore 1a2b3c4d false positive: the client sets a timeout',
      ),
    ).toEqual({
      kind: 'ignore',
      id: '1a2b3c4d',
      reason: 'false positive: the client sets a timeout',
    });
    expect(parseCommand('/architect ignore 1A2B3C4D-1 dup')).toEqual({
      kind: 'ignore',
      id: '1a2b3c4d-1',
      reason: 'dup',
    });
    expect(parseCommand('/architect unignore 1a2b3c4d')).toEqual({
      kind: 'unignore',
      id: '1a2b3c4d',
    });
    expect(parseCommand('/architect config')).toEqual({ kind: 'config' });
    expect(parseCommand('/architect help')).toEqual({ kind: 'help' });
    expect(parseCommand('/architect')).toEqual({ kind: 'help' });
  });

  it('finds the command on any line, case-insensitively, and ignores quoted and fenced lines', () => {
    expect(parseCommand('Thanks!\n\n/Architect Review\n\nmore text')).toEqual({
      kind: 'review',
    });
    expect(
      parseCommand('> /architect review\n\nI agree with the above'),
    ).toBeUndefined();
    expect(parseCommand('```\n/architect review\n```')).toBeUndefined();
    expect(
      parseCommand('~~~~\n```\n/architect review\n~~~~\n/architect config'),
    ).toEqual({ kind: 'config' });
    expect(parseCommand('\r\n  /architect help\r\n')).toEqual({ kind: 'help' });
  });

  it('is not triggered by other words or mentions of the command inside a sentence', () => {
    expect(parseCommand('See /architecture for details')).toBeUndefined();
    expect(parseCommand('/architectural review please')).toBeUndefined();
    expect(parseCommand('please run /architect review')).toBeUndefined();
    expect(parseCommand('')).toBeUndefined();
  });

  it('turns bad arguments into a problem for the help text, never silence', () => {
    expect(parseCommand('/architect review everything')).toMatchObject({
      kind: 'invalid',
      problem: expect.stringContaining('one of: api-contract'),
    });
    expect(
      parseCommand('/architect review security performance'),
    ).toMatchObject({ kind: 'invalid' });
    expect(parseCommand('/architect ignore')).toMatchObject({
      kind: 'invalid',
      problem: expect.stringContaining('finding id'),
    });
    expect(parseCommand('/architect ignore 1a2b3c4d')).toMatchObject({
      kind: 'invalid',
      problem: expect.stringContaining('reason'),
    });
    expect(parseCommand('/architect ignore not-an-id because')).toMatchObject({
      kind: 'invalid',
    });
    expect(parseCommand('/architect unignore')).toMatchObject({
      kind: 'invalid',
    });
    expect(parseCommand('/architect explain this please')).toMatchObject({
      kind: 'invalid',
    });
    expect(parseCommand('/architect deploy')).toEqual({
      kind: 'invalid',
      problem: 'Unknown command `deploy`.',
    });
    expect(parseCommand('/architect `x`')).toEqual({
      kind: 'invalid',
      problem: 'Unknown command `x`.',
    });
  });

  it('keeps long reasons bounded', () => {
    const command = parseCommand(
      `/architect ignore 1a2b3c4d ${'word '.repeat(200)}`,
    );
    expect(command?.kind === 'ignore' && command.reason.length).toBe(500);
  });

  it('requires write access exactly for commands that spend money or change the gate', () => {
    const kinds = [
      '/architect review',
      '/architect explain',
      '/architect ignore 1a2b3c4d r',
      '/architect unignore 1a2b3c4d',
      '/architect config',
      '/architect help',
      '/architect nope',
    ];
    expect(kinds.map((k) => needsWriteAccess(parseCommand(k)!))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
