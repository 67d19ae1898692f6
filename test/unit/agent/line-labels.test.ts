import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFindings } from '../../../src/agent/read-findings.ts';
import { renderChunk } from '../../../src/agent/render-chunk.ts';
import { packChunks } from '../../../src/core/chunking.ts';
import { anchorRange, linesAt } from '../../../src/core/diff/anchor.ts';
import { parsePatch } from '../../../src/core/diff/parse-patch.ts';
import type { Chunk, ChunkFile } from '../../../src/core/ports.ts';
import { tempRepo, type TempRepo } from '../cli/git-fixture.ts';
import { recordingLogger, reviewRequest, toolMessage } from './fixtures.ts';

/**
 * The numbers the model is shown are the numbers its findings are anchored by. Real `git diff`
 * output of real files goes through the prompt's rendering; every printed number is then cited
 * back the way the model would, and must land inline on exactly the line printed after it.
 */

const handler = (variant: 'base' | 'head') =>
  [
    "import { db } from '../db.ts';",
    "import { audit } from '../audit.ts';",
    '',
    'export function routes(app) {',
    "  app.get('/users/:id', async (req, res) => {",
    variant === 'base'
      ? '    const user = await db.users.find(req.params.id);'
      : '    const user = await db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);',
    ...(variant === 'head'
      ? ['    await fetch(`https://audit.example.com/${user.id}`);']
      : []),
    '    res.json(user);',
    '  });',
    ...Array.from({ length: 12 }, (_, i) => `  // route ${i + 1}`),
    ...(variant === 'base'
      ? [
          "  app.delete('/users/:id', requireAdmin, async (req, res) => {",
          '    await db.users.remove(req.params.id);',
          '    res.status(204).end();',
          '  });',
        ]
      : []),
    '  app.get("/health", (req, res) => res.send("ok"));',
    '}',
    '',
  ].join('\n');

const migration =
  'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE INDEX users_id ON users (id);\n';
const renamedBase = `${Array.from({ length: 30 }, (_, i) => `export const v${i} = ${i};`).join('\n')}\n`;
const renamedHead = renamedBase
  .replace('export const v3 = 3;', 'export const v3 = 33;')
  .replace('export const v20 = 20;\n', '');

let repo: TempRepo;
let files: ChunkFile[];
const heads = new Map<string, string>();
const bases = new Map<string, string>();

beforeAll(async () => {
  repo = await tempRepo();
  await repo.write('src/api/users.ts', handler('base'));
  await repo.write('db/migrations/001_users.sql', migration);
  await repo.write('src/old-values.ts', renamedBase);
  await repo.commitAll('base');
  await repo.write('src/api/users.ts', handler('head'));
  await repo.git('rm', '--quiet', 'db/migrations/001_users.sql');
  await repo.git('mv', 'src/old-values.ts', 'src/values.ts');
  await repo.write('src/values.ts', renamedHead);
  await repo.write(
    'src/new.ts',
    'export const added = 1;\n\nexport function twice(n: number) {\n  return 2 * n;\n}\n',
  );
  await repo.commitAll('head');
  heads.set('src/api/users.ts', handler('head'));
  heads.set('src/values.ts', renamedHead);
  heads.set('src/new.ts', await repo.git('show', 'HEAD:src/new.ts'));
  bases.set('db/migrations/001_users.sql', migration);
  const patch = (path: string, ...more: string[]) =>
    repo.git('diff', '-M', 'HEAD~1', 'HEAD', '--', path, ...more);
  files = [
    {
      path: 'src/api/users.ts',
      status: 'modified',
      partial: false,
      hunks: parsePatch(await patch('src/api/users.ts')),
    },
    {
      path: 'db/migrations/001_users.sql',
      status: 'removed',
      partial: false,
      hunks: parsePatch(await patch('db/migrations/001_users.sql')),
    },
    {
      path: 'src/values.ts',
      previousPath: 'src/old-values.ts',
      status: 'renamed',
      partial: false,
      hunks: parsePatch(await patch('src/values.ts', 'src/old-values.ts')),
    },
    {
      path: 'src/new.ts',
      status: 'added',
      partial: false,
      hunks: parsePatch(await patch('src/new.ts')),
    },
  ];
});

afterAll(async () => {
  await repo.remove();
});

interface Printed {
  path: string;
  number: number | undefined;
  marker: '+' | '-' | ' ';
  text: string;
}

/** Reads the rendered diff back: per file, each line with the number printed before it, if any. */
function printedLines(text: string): Printed[] {
  const out: Printed[] = [];
  let path: string | undefined;
  let inHunk = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('path: ')) {
      path = line.slice('path: '.length);
      inHunk = false;
      continue;
    }
    if (line === '</pr_file>') {
      path = undefined;
      continue;
    }
    if (!path) continue;
    if (line.startsWith('@@ ')) {
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    const numbered = /^(\d+) ([+ -])(.*)$/.exec(line);
    if (numbered)
      out.push({
        path,
        number: Number(numbered[1]),
        marker: numbered[2] as Printed['marker'],
        text: numbered[3]!,
      });
    else if (line.startsWith('-'))
      out.push({ path, number: undefined, marker: '-', text: line.slice(1) });
    else throw new Error(`unreadable diff line: ${JSON.stringify(line)}`);
  }
  return out;
}

function expectExactAnchors(chunk: Chunk): Printed[] {
  const printed = printedLines(
    renderChunk(reviewRequest({ chunk, chunkCount: 1 })),
  );
  expect(printed.length).toBe(
    chunk.files.reduce(
      (n, f) => n + f.hunks.reduce((m, h) => m + h.lines.length, 0),
      0,
    ),
  );
  for (const line of printed) {
    const file = chunk.files.find((f) => f.path === line.path)!;
    const removedFile = file.status === 'removed';
    if (line.number === undefined) {
      // Only a removed line of a file that still exists goes without a number.
      expect(removedFile).toBe(false);
      expect(line.marker).toBe('-');
      continue;
    }
    const source = removedFile ? bases.get(line.path)! : heads.get(line.path)!;
    // The number names the line printed after it, in the version the finding is placed on.
    expect(source.split('\n')[line.number - 1]).toBe(line.text);

    // Cited back as the model would, it anchors inline on that very line.
    const message = toolMessage({
      findings: [
        {
          path: line.path,
          line: line.number,
          category: 'security',
          severity: 'high',
          title: 'a problem',
          body: 'details',
        },
      ],
    });
    const [draft] = readFindings(
      message as Parameters<typeof readFindings>[0],
      chunk,
      recordingLogger(),
    ).findings;
    const side = removedFile ? 'LEFT' : 'RIGHT';
    expect(draft!.lines).toEqual({
      start: line.number,
      end: line.number,
      side,
    });
    expect(anchorRange(file.hunks, draft!.lines)).toEqual({
      kind: 'inline',
      side,
      line: line.number,
    });
    expect(linesAt(file.hunks, side, line.number, line.number)).toEqual([
      line.text,
    ]);
  }
  return printed;
}

describe('line numbers shown to the model', () => {
  it('number every added and unchanged line, and every line of a deleted file, by the line a finding is anchored on', () => {
    const printed = expectExactAnchors({
      index: 0,
      files,
      estimatedTokens: 0,
    });
    // What the fixture covers: additions, context, a removed run with no addition, a deleted file,
    // a rename with edits, a new file.
    const users = printed.filter((p) => p.path === 'src/api/users.ts');
    expect(users.filter((p) => p.marker === '+')).toHaveLength(2);
    expect(users.filter((p) => p.marker === '-')).toHaveLength(5);
    expect(users.filter((p) => p.marker === '-' && p.number)).toHaveLength(0);
    expect(
      printed.filter(
        (p) => p.path === 'db/migrations/001_users.sql' && p.number,
      ),
    ).toHaveLength(2);
    expect(printed.some((p) => p.path === 'src/values.ts')).toBe(true);
  });

  it('stay exact for a file split across chunks', () => {
    const packed = packChunks(files, {
      maxChunkTokens: 1000,
      maxTotalTokens: 100_000,
    });
    const split = packChunks(
      [
        {
          ...files[0]!,
          hunks: files[0]!.hunks,
        },
      ],
      { maxChunkTokens: 60, maxTotalTokens: 100_000 },
    );
    expect(split.chunks.length).toBeGreaterThan(1);
    for (const chunk of [...packed.chunks, ...split.chunks])
      expectExactAnchors(chunk);
  });
});
