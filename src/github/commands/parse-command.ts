import { LENSES, type Lens } from '../../core/finding.ts';

export type Command =
  | { kind: 'review'; lens?: Lens }
  | { kind: 'explain' }
  | { kind: 'ignore'; id: string; reason: string }
  | { kind: 'unignore'; id: string }
  | { kind: 'config' }
  | { kind: 'help' }
  /** `/architect` with something the parser cannot use; answered with the help text and the problem. */
  | { kind: 'invalid'; problem: string };

export const COMMAND_PREFIX = '/architect';
/** Finding ids as the engine makes them: 8 hex digits, with `-N` for repeats within one review. */
const FINDING_ID = /^[0-9a-f]{8}(-\d{1,3})?$/i;
const MAX_REASON = 500;

/**
 * Finds the command in a comment: the first line that starts with `/architect`, outside fenced
 * code and quotes (a quoted reply must not run the command again). Undefined when there is none.
 */
export function parseCommand(body: string): Command | undefined {
  const line = commandLine(body);
  if (line === undefined) return undefined;
  const rest = line.slice(COMMAND_PREFIX.length);
  if (rest !== '' && !/^\s/.test(rest)) return undefined; // e.g. "/architecture", not ours
  const words = rest
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const verb = words[0]?.toLowerCase();
  const args = words.slice(1);
  switch (verb) {
    case undefined:
    case 'help':
      return { kind: 'help' };
    case 'review': {
      if (args.length === 0) return { kind: 'review' };
      const lens = LENSES.find((l) => l === args[0]!.toLowerCase());
      if (!lens || args.length > 1)
        return {
          kind: 'invalid',
          problem: `\`review\` takes at most one lens, one of: ${LENSES.join(', ')}.`,
        };
      return { kind: 'review', lens };
    }
    case 'explain':
      return args.length === 0
        ? { kind: 'explain' }
        : {
            kind: 'invalid',
            problem:
              '`explain` takes no arguments; reply with it in the thread of the finding to explain.',
          };
    case 'ignore': {
      const id = args[0];
      if (!id || !FINDING_ID.test(id))
        return {
          kind: 'invalid',
          problem:
            '`ignore` needs a finding id (the `ID` at the foot of the finding) and a reason.',
        };
      const reason = args.slice(1).join(' ').trim();
      if (reason === '')
        return {
          kind: 'invalid',
          problem:
            '`ignore` needs a reason after the finding id, so others know why it was waived.',
        };
      return {
        kind: 'ignore',
        id: id.toLowerCase(),
        reason:
          reason.length > MAX_REASON
            ? `${reason.slice(0, MAX_REASON - 1)}…`
            : reason,
      };
    }
    case 'unignore': {
      const id = args[0];
      if (!id || !FINDING_ID.test(id) || args.length > 1)
        return {
          kind: 'invalid',
          problem: '`unignore` needs exactly one finding id.',
        };
      return { kind: 'unignore', id: id.toLowerCase() };
    }
    case 'config':
      return args.length === 0
        ? { kind: 'config' }
        : { kind: 'invalid', problem: '`config` takes no arguments.' };
    default:
      return {
        kind: 'invalid',
        problem: `Unknown command \`${verb.replace(/`/g, '').slice(0, 40)}\`.`,
      };
  }
}

function commandLine(body: string): string | undefined {
  let fence: string | undefined;
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    const opener = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (
        opener !== undefined &&
        opener[0] === fence[0] &&
        opener.length >= fence.length
      )
        fence = undefined;
      continue;
    }
    if (opener !== undefined) {
      fence = opener;
      continue;
    }
    if (line.toLowerCase().startsWith(COMMAND_PREFIX)) return line;
  }
  return undefined;
}

/** Commands that spend money or change the gate: only people with write access may run them. */
export function needsWriteAccess(command: Command): boolean {
  return (
    command.kind === 'review' ||
    command.kind === 'explain' ||
    command.kind === 'ignore' ||
    command.kind === 'unignore'
  );
}
