import type { DraftFinding } from '../../src/core/finding.ts';
import type {
  Analyzer,
  ModelReviewer,
  ModelReviewRequest,
} from '../../src/core/ports.ts';
import { emptyUsage } from '../../src/core/usage.ts';
import { readMarker } from '../../src/github/history/markers.ts';
import {
  ReviewStateSchema,
  TrackedFindingSchema,
  type ReviewState,
  type TrackedFinding,
} from '../../src/github/history/review-state.ts';
import type {
  FakeFile,
  FakeGitHub,
  FakePullRequest,
} from '../support/fake-github.ts';

/**
 * A small backend whose versions a pull request history moves through, with a deterministic
 * analyzer and a fake model that each recognise one kind of problem in it.
 */
export const BASE = '0'.repeat(40);

export const CLIENT_NO_TIMEOUT = [
  "import { config } from './config.ts';",
  '',
  'export async function charge(order) {',
  "  const res = await fetch(`${config.paymentsUrl}/charges`, { method: 'POST', body: JSON.stringify(order) });",
  '  return res.json();',
  '}',
];
export const CLIENT_WITH_TIMEOUT = CLIENT_NO_TIMEOUT.map((line) =>
  line.replace(
    "{ method: 'POST',",
    "{ method: 'POST', signal: AbortSignal.timeout(5000),",
  ),
);

export const REPO_N_PLUS_ONE = [
  "import { db } from './db.ts';",
  '',
  'export async function loadOrders(ids) {',
  "  return Promise.all(ids.map((id) => db.query('SELECT * FROM orders WHERE id = $1', [id])));",
  '}',
];
export const REPO_BATCHED = REPO_N_PLUS_ONE.map((line) =>
  line.replace(
    "Promise.all(ids.map((id) => db.query('SELECT * FROM orders WHERE id = $1', [id])))",
    "db.query('SELECT * FROM orders WHERE id = ANY($1)', [ids])",
  ),
);
export const REPO_INTERPOLATED = [
  ...REPO_N_PLUS_ONE,
  '',
  'export async function ordersOf(userId) {',
  '  return db.query(`SELECT * FROM orders WHERE user_id = ${userId}`);',
  '}',
];

/** A file the pull request adds, with its whole text as the patch. */
export function added(
  path: string,
  lines: string[],
): { file: FakeFile; text: string } {
  return {
    file: {
      filename: path,
      status: 'added',
      additions: lines.length,
      deletions: 0,
      patch: [
        `@@ -0,0 +1,${lines.length} @@`,
        ...lines.map((l) => `+${l}`),
      ].join('\n'),
    },
    text: `${lines.join('\n')}\n`,
  };
}

export function version(files: Record<string, string[]>): {
  files: FakeFile[];
  contents: Record<string, string>;
} {
  const made = Object.entries(files).map(([path, lines]) => added(path, lines));
  return {
    files: made.map((m) => m.file),
    contents: Object.fromEntries(made.map((m) => [m.file.filename, m.text])),
  };
}

/** A readable commit SHA: `0012ccc…` for 12, so short SHAs in replies differ too. */
export function sha(n: number): string {
  return String(n).padStart(4, '0').padEnd(40, 'c');
}

export function pullRequest(
  number: number,
  head: string,
  files: Record<string, string[]>,
  over: Partial<FakePullRequest> = {},
): FakePullRequest {
  const v = version(files);
  return {
    owner: 'acme',
    repo: 'orders',
    number,
    headSha: head,
    baseSha: BASE,
    files: v.files,
    contents: { [head]: v.contents, [BASE]: {} },
    title: 'Checkout v2',
    body: 'Adds the v2 checkout.',
    ...over,
  };
}

/** Flags `fetch(` calls without a `signal`, the way the real failure-mode analyzer does (much simplified). */
export const timeoutAnalyzer: Analyzer = {
  name: 'timeouts',
  lenses: ['failure-mode'],
  async analyze({ files }) {
    const findings: DraftFinding[] = [];
    for (const { file, hunks } of files)
      for (const hunk of hunks)
        for (const line of hunk.lines)
          if (
            line.kind === 'add' &&
            line.text.includes('fetch(') &&
            !line.text.includes('signal')
          ) {
            findings.push({
              lens: 'failure-mode',
              severity: 'high',
              ruleId: 'failure-mode/http-call-without-timeout',
              source: 'analyzer',
              path: file.path,
              lines: {
                start: line.newLine!,
                end: line.newLine!,
                side: 'RIGHT',
              },
              title: 'HTTP call without a timeout',
              body: 'A slow provider holds the request open.',
            });
          }
    return { findings, notes: [] };
  },
};

/** Recognises per-item queries (performance, high) and interpolated SQL (security, medium); records what it was shown. */
export function fakeReviewer(): ModelReviewer & {
  requests: ModelReviewRequest[];
  paths: () => string[][];
} {
  const requests: ModelReviewRequest[] = [];
  return {
    model: 'fake-model',
    requests,
    paths: () => requests.map((r) => r.chunk.files.map((f) => f.path).sort()),
    async review(request) {
      requests.push(request);
      const findings: DraftFinding[] = [];
      for (const file of request.chunk.files)
        for (const hunk of file.hunks)
          for (const line of hunk.lines) {
            if (line.kind === 'del') continue;
            const at = {
              start: line.newLine!,
              end: line.newLine!,
              side: 'RIGHT' as const,
            };
            if (line.text.includes('ids.map((id) => db.query')) {
              findings.push({
                lens: 'performance',
                severity: 'high',
                ruleId: 'performance/model',
                source: 'model',
                path: file.path,
                lines: at,
                title: 'One query per order id',
                body: 'Loads orders one query at a time; batch them.',
                fix: 'Use `WHERE id = ANY($1)`.',
              });
            }
            if (line.text.includes('${userId}')) {
              findings.push({
                lens: 'security',
                severity: 'medium',
                ruleId: 'security/model',
                source: 'model',
                path: file.path,
                lines: at,
                title: 'SQL built from a parameter',
                body: 'Interpolating the user id into SQL allows injection.',
              });
            }
          }
      return {
        findings,
        usage: {
          ...emptyUsage('fake-model'),
          requests: 1,
          inputTokens: 1000,
          outputTokens: 100,
          costUsd: 0.002,
        },
        droppedItems: 0,
        summary: `Reviewed ${request.chunk.files.length} file(s).`,
      };
    },
  };
}

/** What the app has said on a pull request, read back from the fake, as a person would see it. */
export function observe(github: FakeGitHub, pr: FakePullRequest) {
  const bot = github.bot.login;
  const inline = github.reviewComments.filter(
    (c) =>
      c.pull === pr.number &&
      c.user.login === bot &&
      c.in_reply_to_id === undefined,
  );
  const findings = inline.map((c) => ({
    comment: c,
    finding: readMarker(c.body, 'finding', TrackedFindingSchema)!,
  }));
  const fingerprints = findings.map((f) => f.finding.fp);
  const threadOf = (commentId: number) =>
    github.threads.find((t) => t.rootCommentId === commentId);
  const replies = (commentId: number) =>
    github.reviewComments.filter((c) => c.in_reply_to_id === commentId);
  const summaries = github.issueComments.filter(
    (c) =>
      c.pull === pr.number &&
      c.user.login === bot &&
      readMarker(c.body, 'state', ReviewStateSchema),
  );
  const state: ReviewState | undefined = summaries[0]
    ? readMarker(summaries[0].body, 'state', ReviewStateSchema)
    : undefined;
  const runs = github.checkRuns.filter((r) => r.head_sha === pr.headSha);
  return {
    inline: findings,
    byTitle: (
      title: string,
    ):
      | { comment: (typeof inline)[number]; finding: TrackedFinding }
      | undefined => findings.find((f) => f.finding.title === title),
    duplicates: fingerprints.length - new Set(fingerprints).size,
    threadOf,
    replies,
    summaries,
    state,
    runs,
    /** The head's current verdict: its newest run. */
    run: runs.at(-1),
    reviews: github.reviews.filter((r) => r.pull === pr.number),
    replyComments: github.issueComments.filter(
      (c) =>
        c.pull === pr.number &&
        c.user.login === bot &&
        !readMarker(c.body, 'state', ReviewStateSchema),
    ),
  };
}
