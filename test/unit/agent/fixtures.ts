import type { ChangedFile } from '../../../src/core/change-set.ts';
import { parsePatch } from '../../../src/core/diff/parse-patch.ts';
import type { DraftFinding } from '../../../src/core/finding.ts';
import type { Logger } from '../../../src/core/logger.ts';
import type {
  Chunk,
  ChunkFile,
  ModelReviewRequest,
} from '../../../src/core/ports.ts';

export function chunkFile(
  path: string,
  patch: string,
  extra: Partial<Omit<ChunkFile, 'hunks'>> & {
    status?: ChangedFile['status'];
  } = {},
): ChunkFile {
  return {
    path,
    status: 'modified',
    partial: false,
    ...extra,
    hunks: parsePatch(patch),
  };
}

/** An HTTP handler whose head lines are 10-14. */
export const handlerFile = chunkFile(
  'src/api/users.ts',
  [
    '@@ -10,4 +10,5 @@ export function routes(app) {',
    '   app.get("/users/:id", async (req, res) => {',
    '-    const user = await db.users.find(req.params.id);',
    '+    const user = await db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);',
    '+    await fetch(`https://audit.example.com/${user.id}`);',
    '     res.json(user);',
    '   });',
  ].join('\n'),
);

/** A deleted migration whose base lines are 1-2. */
export const deletedFile = chunkFile(
  'db/migrations/001_users.sql',
  [
    '@@ -1,2 +0,0 @@',
    '-CREATE TABLE users (id bigint);',
    '-CREATE INDEX users_id ON users (id);',
  ].join('\n'),
  {
    status: 'removed',
  },
);

export function chunkOf(files: ChunkFile[], index = 0): Chunk {
  return { index, files, estimatedTokens: 100 };
}

export function reviewRequest(
  overrides: Partial<ModelReviewRequest> = {},
): ModelReviewRequest {
  return {
    chunk: chunkOf([handlerFile, deletedFile]),
    chunkCount: 1,
    lenses: [
      'api-contract',
      'schema',
      'failure-mode',
      'security',
      'performance',
    ],
    instructions: '',
    title: 'Load users from SQL',
    description: 'Switches the user lookup to raw SQL.',
    grounding: [],
    signal: new AbortController().signal,
    ...overrides,
  };
}

export const groundingFinding: DraftFinding = {
  lens: 'security',
  severity: 'critical',
  ruleId: 'security/sql-interpolation',
  source: 'analyzer',
  path: 'src/api/users.ts',
  lines: { start: 11, end: 11, side: 'RIGHT' },
  title: 'SQL built by string interpolation',
  body: 'The id goes straight into the query text.',
};

export interface RecordingLogger extends Logger {
  entries: Array<{ level: string; obj: object | string; msg?: string }>;
}

export function recordingLogger(): RecordingLogger {
  const entries: RecordingLogger['entries'] = [];
  const at = (level: string) => (obj: object | string, msg?: string) =>
    void entries.push({ level, obj, msg });
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/** A Messages API response whose only content is a report_findings call with this input. */
export function toolMessage(
  input: unknown,
  extra: Record<string, unknown> = {},
) {
  return {
    id: 'msg_test',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-5-5',
    content: [
      { type: 'tool_use', id: 'toolu_test', name: 'report_findings', input },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: {
      input_tokens: 1000,
      output_tokens: 200,
      cache_read_input_tokens: 3000,
      cache_creation_input_tokens: 500,
    },
    ...extra,
  };
}
