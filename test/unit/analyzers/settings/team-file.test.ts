import { describe, expect, it } from 'vitest';
import type {
  ChangedFile,
  ContentReader,
} from '../../../../src/core/change-set.ts';
import { readTeamFile } from '../../../../src/analyzers/settings/team-file.ts';

const signal = new AbortController().signal;
const NAMES = ['.toolrc', '.toolrc.json', '.toolrc.yml'];

function changeSet(
  base: Record<string, string>,
  options: { head?: string[]; files?: ChangedFile[]; listing?: boolean } = {},
) {
  const reads: string[] = [];
  const contents: ContentReader = {
    read: async (revision, path) => {
      reads.push(`${revision}:${path}`);
      return revision === 'base' ? base[path] : undefined;
    },
    ...(options.listing === false
      ? {}
      : { listHeadPaths: async () => options.head ?? Object.keys(base) }),
  };
  return { changeSet: { contents, files: options.files ?? [] }, reads };
}

describe('readTeamFile', () => {
  it('reads only the config names the head listing has, at the base', async () => {
    const { changeSet: set, reads } = changeSet({ '.toolrc.yml': 'a: 1\n' });
    expect(await readTeamFile(set, NAMES, 'tool', signal)).toEqual({
      found: true,
      path: '.toolrc.yml',
      text: 'a: 1\n',
    });
    expect(reads).toEqual(['base:.toolrc.yml']);
  });

  it('still reads a config the change deletes, and every name without a listing', async () => {
    const deleted = changeSet(
      { '.toolrc': 'x' },
      {
        head: [],
        files: [
          { path: '.toolrc', status: 'removed', additions: 0, deletions: 1 },
        ],
      },
    );
    expect(
      await readTeamFile(deleted.changeSet, NAMES, 'tool', signal),
    ).toMatchObject({
      found: true,
      path: '.toolrc',
    });
    const unlisted = changeSet({}, { listing: false });
    expect(
      await readTeamFile(unlisted.changeSet, NAMES, 'tool', signal),
    ).toEqual({
      found: false,
      notes: [],
    });
    expect(unlisted.reads).toEqual(NAMES.map((n) => `base:${n}`));
  });

  it('says the defaults were used when a config cannot be read', async () => {
    const { changeSet: set } = changeSet({ '.toolrc': 'x' });
    set.contents.read = async () => {
      throw new Error('500 from the contents API');
    };
    expect(await readTeamFile(set, NAMES, 'tool', signal)).toEqual({
      found: false,
      notes: [
        {
          source: 'repository settings',
          path: '.toolrc',
          message:
            "could not read .toolrc, so tool's defaults were used: 500 from the contents API",
        },
      ],
    });
  });
});
