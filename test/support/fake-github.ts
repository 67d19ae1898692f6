import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createGzip } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import {
  closeServer,
  listenOnLoopback,
  loopbackUrl,
} from './loopback-server.ts';
import { validateGitHubBody, validatorFor } from './github-openapi.ts';

/**
 * A small stateful stand-in for GitHub's API, served over real HTTP so the app under test runs
 * unmodified (Probot talks to it through GHE_HOST). It answers only what the app is expected to ask;
 * anything else is recorded as unmatched and answered 404, and tests assert there was none. Request
 * bodies are checked against GitHub's OpenAPI description (GraphQL documents against the shapes the
 * app is allowed to send).
 */
export interface FakeFile {
  filename: string;
  status:
    | 'added'
    | 'modified'
    | 'removed'
    | 'renamed'
    | 'copied'
    | 'changed'
    | 'unchanged';
  previous_filename?: string;
  additions: number;
  deletions: number;
  patch?: string;
}

export interface FakePullRequest {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  baseSha: string;
  files: FakeFile[];
  /** Contents by commit SHA, then path. */
  contents: Record<string, Record<string, string>>;
  /** Symlinks per commit (path → target), served only in the tarball. */
  symlinks?: Record<string, Record<string, string>>;
  title?: string;
  body?: string;
  draft?: boolean;
  state?: 'open' | 'closed';
  labels?: string[];
  /** GitHub's `author_association`; OWNER unless a test says otherwise. */
  authorAssociation?: string;
  author?: string;
  /** `owner/repo` of the head branch; the base repository unless the pull request comes from a fork. */
  headRepo?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The route template it matched, e.g. `POST /repos/{owner}/{repo}/check-runs`. */
  route?: string;
  body?: unknown;
  at: number;
  /** `app` for requests signed with the app's JWT, `installation` for installation tokens. */
  auth?: 'app' | 'installation' | 'none';
  accept?: string;
  /** The token the request was made with, if any. */
  token?: string;
}

export interface FakeStatus {
  id: number;
  sha: string;
  state: 'pending' | 'success' | 'failure' | 'error';
  context: string;
  description?: string;
  target_url?: string;
  created_at: string;
  creator: FakeUser;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  external_id?: string;
  started_at?: string;
  actions?: Array<{ label: string; description: string; identifier: string }>;
  output?: {
    title?: string;
    summary?: string;
    text?: string;
    annotations?: unknown[];
  };
  annotations: unknown[];
  history: Array<{ status?: string; conclusion?: string }>;
  /** The app that owns the run; runs of other apps can be added to test that they are ignored. */
  appId: number;
}

export interface FakeReview {
  id: number;
  pull: number;
  commit_id?: string;
  event?: string;
  body?: string;
  user: FakeUser;
  comments: Array<{
    path: string;
    line: number;
    side?: string;
    start_line?: number;
    start_side?: string;
    body: string;
  }>;
}

export interface FakeUser {
  login: string;
  type: 'User' | 'Bot';
  id: number;
}

export interface FakeReviewComment {
  id: number;
  pull: number;
  node_id: string;
  pull_request_review_id?: number;
  in_reply_to_id?: number;
  path: string;
  line?: number;
  side?: string;
  start_line?: number;
  commit_id?: string;
  body: string;
  user: FakeUser;
}

export interface FakeIssueComment {
  id: number;
  pull: number;
  body: string;
  user: FakeUser;
  /** Bodies before each edit, oldest first. */
  edits: string[];
}

export interface FakeThread {
  id: string;
  rootCommentId: number;
  isResolved: boolean;
}

export interface FakeReaction {
  id: number;
  subject: 'issue' | 'review';
  commentId: number;
  content: string;
  user: FakeUser;
}

type Answer = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: boolean;
  binary?: Buffer;
};
type Handler = (
  match: Record<string, string>,
  body: unknown,
  url: URL,
  record: RecordedRequest,
) => Answer | Promise<Answer>;

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

const NOT_FOUND = { status: 404, body: { message: 'Not Found' } };

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly unmatched: RecordedRequest[] = [];
  readonly invalidBodies: Array<{ route: string; errors: string[] }> = [];
  readonly checkRuns: FakeCheckRun[] = [];
  readonly reviews: FakeReview[] = [];
  readonly reviewComments: FakeReviewComment[] = [];
  readonly issueComments: FakeIssueComment[] = [];
  readonly threads: FakeThread[] = [];
  readonly reactions: FakeReaction[] = [];
  readonly pulls = new Map<string, FakePullRequest>();
  /** Raw `.github/architect.yml` per `owner/repo`. */
  readonly configs = new Map<string, string>();
  /** Repository permission per `owner/repo:login`; anyone else has `read`. */
  readonly permissions = new Map<
    string,
    'admin' | 'maintain' | 'write' | 'triage' | 'read'
  >();
  /** Parent of each commit a test pushed; a force-push starts a new line of history. */
  readonly parents = new Map<string, string | undefined>();
  /** Routes forced to fail: `METHOD template` → status. */
  readonly failures = new Map<string, number>();
  /** One-shot answers per route, used up in order before the route answers normally (e.g. a rate limit with its headers). */
  readonly faults = new Map<
    string,
    Array<{ status: number; body: unknown; headers?: Record<string, string> }>
  >();
  /** Artificial latency per request, to mimic a remote API. */
  latencyMs = 0;
  /** Tokens that may only read (an Actions job's token on a fork pull request): writes get 403. */
  readonly readOnlyTokens = new Set<string>();
  /** Tokens GitHub does not know: every request gets 401. */
  readonly rejectedTokens = new Set<string>();
  /** A person's tokens: requests act as that user, who cannot create check runs (only apps can). */
  readonly userTokens = new Map<string, FakeUser>();
  /** App tokens without `checks: write` (an Actions job with `checks: read`): check runs get 403. */
  readonly noChecksTokens = new Set<string>();
  readonly statuses: FakeStatus[] = [];
  /** Set to a time (epoch seconds): every request gets GitHub's 403 for a used-up rate limit until then. */
  rateLimitResetAt: number | undefined;
  /** Extra latency of one route (`METHOD template`), applied after the request took effect: a slow answer. */
  readonly slowAnswers = new Map<string, number>();
  readonly app = { id: 12345, slug: 'backend-architect' };
  private server: Server | undefined;
  private routes: Route[] = [];
  private nextId = 1000;

  constructor() {
    this.route(
      'POST',
      '/app/installations/{installation_id}/access_tokens',
      () => ({
        status: 201,
        body: {
          token: 'ghs_faketoken',
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: {},
          repository_selection: 'all',
        },
      }),
    );
    this.route('GET', '/app', (_m, _b, _u, record) =>
      record.auth === 'app'
        ? {
            status: 200,
            body: {
              id: this.app.id,
              slug: this.app.slug,
              name: 'Backend Architect',
              owner: { login: 'acme' },
            },
          }
        : {
            status: 401,
            body: { message: 'A JSON web token could not be decoded' },
          },
    );
    this.route('GET', '/apps/{app_slug}', (m) =>
      m.app_slug === this.app.slug
        ? {
            status: 200,
            body: {
              id: this.app.id,
              slug: this.app.slug,
              name: 'Backend Architect',
              owner: { login: 'acme' },
            },
          }
        : NOT_FOUND,
    );
    this.route('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', (m) => {
      const pr = this.pull(m);
      return pr ? { status: 200, body: this.pullBody(pr) } : NOT_FOUND;
    });
    this.route(
      'GET',
      '/repos/{owner}/{repo}/pulls/{pull_number}/files',
      (m, _b, url) => {
        const pr = this.pull(m);
        if (!pr) return NOT_FOUND;
        return this.page(
          pr.files.slice(0, 3000).map((f) => ({
            sha: 'f'.repeat(40),
            changes: f.additions + f.deletions,
            ...f,
          })),
          url,
        );
      },
    );
    this.route(
      'GET',
      '/repos/{owner}/{repo}/contents/{path}',
      (m, _b, url, record) => {
        const path = decodeURIComponent(m.path!);
        if (path === '.github/architect.yml') {
          const raw = this.configs.get(`${m.owner}/${m.repo}`);
          if (raw === undefined) return NOT_FOUND;
          // Probot's config plugin asks for the raw file.
          return record.accept?.includes('raw')
            ? { status: 200, body: raw, raw: true }
            : { status: 200, body: contentBody(path, raw) };
        }
        const ref = url.searchParams.get('ref') ?? '';
        for (const pr of this.pulls.values()) {
          if (pr.owner !== m.owner || pr.repo !== m.repo) continue;
          const text = pr.contents[ref]?.[path];
          if (text !== undefined)
            return { status: 200, body: contentBody(path, text) };
        }
        return NOT_FOUND;
      },
    );
    this.route('GET', '/repos/{owner}/{repo}/tarball/{ref}', async (m) => {
      for (const pr of this.pulls.values()) {
        const files = pr.contents[m.ref!];
        if (pr.owner === m.owner && pr.repo === m.repo && files) {
          return {
            status: 200,
            binary: await tarball(
              `${m.owner}-${m.repo}-${m.ref!.slice(0, 7)}`,
              files,
              pr.symlinks?.[m.ref!] ?? {},
            ),
          };
        }
      }
      return NOT_FOUND;
    });
    this.route('GET', '/repos/{owner}/{repo}/git/trees/{tree_sha}', (m) => {
      for (const pr of this.pulls.values()) {
        const files = pr.contents[m.tree_sha!];
        if (pr.owner === m.owner && pr.repo === m.repo && files) {
          return {
            status: 200,
            body: {
              sha: m.tree_sha,
              truncated: false,
              tree: Object.keys(files).map((path) => ({
                path,
                type: 'blob',
                mode: '100644',
                sha: 'e'.repeat(40),
              })),
            },
          };
        }
      }
      return NOT_FOUND;
    });
    this.route('GET', '/repos/{owner}/{repo}/compare/{basehead}', (m) =>
      this.compare(m),
    );
    this.route(
      'GET',
      '/repos/{owner}/{repo}/commits/{commit_sha}/pulls',
      (m) => ({
        status: 200,
        body: [...this.pulls.values()]
          .filter(
            (pr) =>
              pr.owner === m.owner &&
              pr.repo === m.repo &&
              pr.headSha === m.commit_sha,
          )
          .map((pr) => this.pullBody(pr)),
      }),
    );
    this.route(
      'GET',
      '/repos/{owner}/{repo}/collaborators/{username}/permission',
      (m) => {
        const permission =
          this.permissions.get(`${m.owner}/${m.repo}:${m.username}`) ?? 'read';
        const legacy =
          permission === 'maintain'
            ? 'write'
            : permission === 'triage'
              ? 'read'
              : permission;
        return {
          status: 200,
          body: {
            permission: legacy,
            role_name: permission,
            user: { login: m.username },
          },
        };
      },
    );

    this.route(
      'GET',
      '/repos/{owner}/{repo}/commits/{ref}/check-runs',
      (m, _b, url) => {
        const name = url.searchParams.get('check_name');
        let runs = this.checkRuns.filter(
          (r) => r.head_sha === m.ref && (name === null || r.name === name),
        );
        if ((url.searchParams.get('filter') ?? 'latest') === 'latest') {
          runs = runs.filter(
            (r) =>
              !runs.some(
                (other) =>
                  other.name === r.name &&
                  other.appId === r.appId &&
                  other.id > r.id,
              ),
          );
        }
        return {
          status: 200,
          body: {
            total_count: runs.length,
            check_runs: runs.map((r) => this.checkRunBody(m, r)),
          },
        };
      },
    );
    this.route(
      'GET',
      '/repos/{owner}/{repo}/check-runs/{check_run_id}',
      (m) => {
        const run = this.checkRuns.find((r) => r.id === Number(m.check_run_id));
        return run
          ? { status: 200, body: this.checkRunBody(m, run) }
          : NOT_FOUND;
      },
    );
    this.route(
      'POST',
      '/repos/{owner}/{repo}/check-runs',
      (m, body, _u, record) => {
        if (record.token && this.userTokens.has(record.token))
          return {
            status: 403,
            body: { message: 'You must authenticate via a GitHub App.' },
          };
        if (record.token && this.noChecksTokens.has(record.token))
          return {
            status: 403,
            body: { message: 'Resource not accessible by integration' },
          };
        const input = body as Omit<
          FakeCheckRun,
          'id' | 'annotations' | 'history' | 'appId'
        >;
        const run: FakeCheckRun = {
          ...input,
          id: this.nextId++,
          status: input.status ?? 'queued',
          appId: this.app.id,
          annotations: [...(input.output?.annotations ?? [])],
          history: [{ status: input.status, conclusion: input.conclusion }],
        };
        this.checkRuns.push(run);
        return { status: 201, body: this.checkRunBody(m, run) };
      },
    );
    this.route(
      'PATCH',
      '/repos/{owner}/{repo}/check-runs/{check_run_id}',
      (m, body) => {
        const run = this.checkRuns.find((r) => r.id === Number(m.check_run_id));
        if (!run) return NOT_FOUND;
        if (run.appId !== this.app.id)
          return { status: 403, body: { message: 'Invalid app_id' } };
        const update = body as Partial<FakeCheckRun>;
        // GitHub never moves a completed run back: the status stays, a re-run needs a new check run.
        if (
          run.status === 'completed' &&
          update.status !== undefined &&
          update.status !== 'completed'
        )
          update.status = 'completed';
        if (update.conclusion) run.status = 'completed';
        Object.assign(run, {
          ...update,
          status: update.status ?? run.status,
          output: update.output ?? run.output,
        });
        run.annotations.push(...(update.output?.annotations ?? []));
        run.history.push({ status: run.status, conclusion: update.conclusion });
        return { status: 200, body: this.checkRunBody(m, run) };
      },
    );

    this.route(
      'POST',
      '/repos/{owner}/{repo}/statuses/{sha}',
      (m, body, _u, record) => {
        const input = body as Pick<
          FakeStatus,
          'state' | 'context' | 'description' | 'target_url'
        >;
        const status: FakeStatus = {
          id: this.nextId++,
          sha: m.sha!,
          ...input,
          context: input.context ?? 'default',
          created_at: new Date().toISOString(),
          creator: this.actor(record),
        };
        this.statuses.push(status);
        return { status: 201, body: this.statusBody(status) };
      },
    );
    this.route(
      'GET',
      '/repos/{owner}/{repo}/commits/{ref}/statuses',
      (m, _b, url) =>
        this.page(
          this.statuses
            .filter((st) => st.sha === m.ref)
            .sort((a, b) => b.id - a.id)
            .map((st) => this.statusBody(st)),
          url,
        ),
    );

    this.route(
      'POST',
      '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      (m, body, _u, record) => {
        const pr = this.pull(m);
        if (!pr) return NOT_FOUND;
        const input = body as Omit<FakeReview, 'id' | 'pull' | 'user'>;
        for (const comment of input.comments ?? []) {
          const problem = anchorProblem(pr, comment);
          if (problem)
            return {
              status: 422,
              body: { message: 'Unprocessable Entity', errors: [problem] },
            };
        }
        const review: FakeReview = {
          id: this.nextId++,
          pull: pr.number,
          user: this.actor(record),
          ...input,
          comments: input.comments ?? [],
        };
        this.reviews.push(review);
        for (const comment of review.comments) {
          const created = this.addReviewCommentRecord(pr.number, {
            ...comment,
            pull_request_review_id: review.id,
            commit_id: review.commit_id,
            user: review.user,
          });
          this.threads.push({
            id: `PRRT_${created.id}`,
            rootCommentId: created.id,
            isResolved: false,
          });
        }
        return {
          status: 200,
          body: {
            id: review.id,
            state: 'COMMENTED',
            body: review.body,
            commit_id: review.commit_id,
            user: review.user,
            html_url: `${this.url}/review/${review.id}`,
          },
        };
      },
    );
    this.route(
      'GET',
      '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      (m, _b, url) => {
        const pr = this.pull(m);
        if (!pr) return NOT_FOUND;
        return this.page(
          this.reviews
            .filter((r) => r.pull === pr.number)
            .map((r) => ({
              id: r.id,
              body: r.body ?? '',
              state: 'COMMENTED',
              commit_id: r.commit_id,
              user: r.user,
            })),
          url,
        );
      },
    );
    this.route(
      'GET',
      '/repos/{owner}/{repo}/pulls/{pull_number}/comments',
      (m, _b, url) => {
        const pr = this.pull(m);
        if (!pr) return NOT_FOUND;
        return this.page(
          this.reviewComments
            .filter((c) => c.pull === pr.number)
            .map((c) => this.reviewCommentBody(c)),
          url,
        );
      },
    );
    this.route(
      'GET',
      '/repos/{owner}/{repo}/pulls/comments/{comment_id}',
      (m) => {
        const comment = this.reviewComments.find(
          (c) => c.id === Number(m.comment_id),
        );
        return comment
          ? { status: 200, body: this.reviewCommentBody(comment) }
          : NOT_FOUND;
      },
    );
    this.route(
      'POST',
      '/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies',
      (m, body, _u, record) => {
        const root = this.reviewComments.find(
          (c) => c.id === Number(m.comment_id),
        );
        // GitHub answers replies to replies with 404: replies go to the thread's first comment.
        if (!root || root.in_reply_to_id !== undefined) return NOT_FOUND;
        const created = this.addReviewCommentRecord(root.pull, {
          path: root.path,
          body: (body as { body: string }).body,
          in_reply_to_id: root.id,
          user: this.actor(record),
        });
        return { status: 201, body: this.reviewCommentBody(created) };
      },
    );

    this.route(
      'GET',
      '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      (m, _b, url) => {
        const number = Number(m.issue_number);
        return this.page(
          this.issueComments
            .filter((c) => c.pull === number)
            .map((c) => this.issueCommentBody(c)),
          url,
        );
      },
    );
    this.route(
      'POST',
      '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      (m, body, _u, record) => {
        const comment: FakeIssueComment = {
          id: this.nextId++,
          pull: Number(m.issue_number),
          body: (body as { body: string }).body,
          user: this.actor(record),
          edits: [],
        };
        this.issueComments.push(comment);
        return { status: 201, body: this.issueCommentBody(comment) };
      },
    );
    this.route(
      'PATCH',
      '/repos/{owner}/{repo}/issues/comments/{comment_id}',
      (m, body, _u, record) => {
        const comment = this.issueComments.find(
          (c) => c.id === Number(m.comment_id),
        );
        if (!comment) return NOT_FOUND;
        // The app edits only what it wrote; anything else would be a bug worth failing on.
        if (comment.user.login !== this.actor(record).login)
          return {
            status: 403,
            body: { message: 'Must have admin rights to edit this comment' },
          };
        comment.edits.push(comment.body);
        comment.body = (body as { body: string }).body;
        return { status: 200, body: this.issueCommentBody(comment) };
      },
    );

    for (const subject of ['issue', 'review'] as const) {
      const base =
        subject === 'issue'
          ? '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions'
          : '/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions';
      this.route('POST', base, (m, body, _u, record) => {
        const commentId = Number(m.comment_id);
        const exists =
          subject === 'issue'
            ? this.issueComments.some((c) => c.id === commentId)
            : this.reviewComments.some((c) => c.id === commentId);
        if (!exists) return NOT_FOUND;
        const content = (body as { content: string }).content;
        const existing = this.reactions.find(
          (r) =>
            r.subject === subject &&
            r.commentId === commentId &&
            r.content === content &&
            r.user.login === this.actor(record).login,
        );
        if (existing) return { status: 200, body: this.reactionBody(existing) };
        const reaction: FakeReaction = {
          id: this.nextId++,
          subject,
          commentId,
          content,
          user: this.actor(record),
        };
        this.reactions.push(reaction);
        return { status: 201, body: this.reactionBody(reaction) };
      });
      this.route('DELETE', `${base}/{reaction_id}`, (m) => {
        const index = this.reactions.findIndex(
          (r) =>
            r.subject === subject &&
            r.commentId === Number(m.comment_id) &&
            r.id === Number(m.reaction_id),
        );
        if (index < 0) return NOT_FOUND;
        this.reactions.splice(index, 1);
        return { status: 204 };
      });
    }
  }

  /** Who a request acts as: the person whose token it carries, else the app's bot. */
  actor(record: RecordedRequest): FakeUser {
    return (
      (record.token ? this.userTokens.get(record.token) : undefined) ?? this.bot
    );
  }

  /** The app's bot account, as GitHub names it. */
  get bot(): FakeUser {
    return { login: `${this.app.slug}[bot]`, type: 'Bot', id: 99_999 };
  }

  get url(): string {
    return loopbackUrl(this.server, 'fake GitHub');
  }

  /** What to put in GHE_HOST: Probot then calls http://host/api/v3. */
  get host(): string {
    return this.url.replace('http://', '');
  }

  addPullRequest(pr: FakePullRequest): void {
    this.pulls.set(`${pr.owner}/${pr.repo}#${pr.number}`, pr);
    if (!this.parents.has(pr.headSha)) this.parents.set(pr.headSha, undefined);
  }

  /**
   * A push to a pull request: the new head, its files and contents. Its parent is the old head
   * unless `force` says the history was rewritten.
   */
  push(
    pr: FakePullRequest,
    next: {
      headSha: string;
      files: FakeFile[];
      contents: Record<string, string>;
      force?: boolean;
    },
  ): void {
    this.parents.set(next.headSha, next.force ? undefined : pr.headSha);
    pr.headSha = next.headSha;
    pr.files = next.files;
    pr.contents[next.headSha] = next.contents;
  }

  /** A person's comment in the pull request conversation. */
  addIssueComment(
    pr: FakePullRequest,
    login: string,
    body: string,
    type: FakeUser['type'] = 'User',
  ): FakeIssueComment {
    const comment: FakeIssueComment = {
      id: this.nextId++,
      pull: pr.number,
      body,
      user: { login, type, id: 1 + (this.nextId % 5000) },
      edits: [],
    };
    this.issueComments.push(comment);
    return comment;
  }

  /** A person's reply in a review thread (or a new comment on the diff when `rootId` is absent). */
  addReviewReply(
    pr: FakePullRequest,
    rootId: number,
    login: string,
    body: string,
  ): FakeReviewComment {
    const root = this.reviewComments.find((c) => c.id === rootId);
    if (!root) throw new Error(`no review comment ${rootId}`);
    return this.addReviewCommentRecord(pr.number, {
      path: root.path,
      body,
      in_reply_to_id: rootId,
      user: { login, type: 'User', id: 7 },
    });
  }

  /** GitHub's answer to too many content-creating requests: 403 with `retry-after`, `times` times in a row. */
  secondaryRateLimit(route: string, times = 1, retryAfterSeconds = 1): void {
    const answer = {
      status: 403,
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url:
          'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      },
      headers: {
        'retry-after': String(retryAfterSeconds),
        'x-ratelimit-remaining': '4999',
      },
    };
    this.faults.set(route, [
      ...(this.faults.get(route) ?? []),
      ...Array.from({ length: times }, () => answer),
    ]);
  }

  /** Requests that create or change something on GitHub. */
  writes(): RecordedRequest[] {
    return this.requests.filter(
      (r) =>
        r.method !== 'GET' &&
        !r.path.includes('/access_tokens') &&
        !(r.path === '/graphql' && isGraphqlQuery(r.body)),
    );
  }

  async listen(): Promise<this> {
    // Compile the request-body validators now, so their one-off cost is not charged to the app's requests.
    for (const route of this.routes) {
      if (route.method === 'GET' || route.method === 'DELETE') continue;
      try {
        validatorFor(route.method, route.template);
      } catch {
        // An operation without a JSON body schema; a request to it would fail validation visibly anyway.
      }
    }
    this.server = createServer((req, res) => void this.handle(req, res));
    await listenOnLoopback(this.server);
    return this;
  }

  async close(): Promise<void> {
    await closeServer(this.server);
  }

  private route(method: string, template: string, handler: Handler): void {
    const keys: string[] = [];
    const source = template
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\{(\w+)\}/g, (_, key: string) => {
        keys.push(key);
        return key === 'path' ? '(.+)' : '([^/]+)';
      });
    this.routes.push({
      method,
      template,
      pattern: new RegExp(`^/api/v3${source}$`),
      keys,
      handler,
    });
  }

  private pull(m: Record<string, string>): FakePullRequest | undefined {
    return this.pulls.get(`${m.owner}/${m.repo}#${m.pull_number}`);
  }

  private pullBody(pr: FakePullRequest) {
    const base = `${pr.owner}/${pr.repo}`;
    return {
      number: pr.number,
      state: pr.state ?? 'open',
      draft: pr.draft ?? false,
      title: pr.title ?? 'Add checkout v2',
      body: pr.body ?? 'Adds the v2 checkout endpoint.',
      html_url: `${this.url}/${base}/pull/${pr.number}`,
      changed_files: pr.files.length,
      author_association: pr.authorAssociation ?? 'OWNER',
      user: { login: pr.author ?? pr.owner, type: 'User' },
      labels: (pr.labels ?? []).map((name) => ({ name })),
      head: {
        sha: pr.headSha,
        ref: 'feature',
        repo: { full_name: pr.headRepo ?? base },
      },
      base: { sha: pr.baseSha, ref: 'main', repo: { full_name: base } },
    };
  }

  /** Compares two commits of the pushes a test made: ahead when `base` is an ancestor of `head`. */
  private compare(m: Record<string, string>) {
    const [base, head] = decodeURIComponent(m.basehead!).split('...');
    if (!base || !head || !this.parents.has(base) || !this.parents.has(head))
      return NOT_FOUND;
    const ancestors = (sha: string) => {
      const seen: string[] = [];
      for (
        let at: string | undefined = sha;
        at !== undefined;
        at = this.parents.get(at)
      )
        seen.push(at);
      return seen;
    };
    const status =
      base === head
        ? 'identical'
        : ancestors(head).includes(base)
          ? 'ahead'
          : ancestors(base).includes(head)
            ? 'behind'
            : 'diverged';
    const before = this.contentsAt(m, base);
    const after = this.contentsAt(m, head);
    const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((p) => before[p] !== after[p])
      .sort();
    const files = paths.map((filename) => ({
      filename,
      status:
        before[filename] === undefined
          ? 'added'
          : after[filename] === undefined
            ? 'removed'
            : 'modified',
      additions: 1,
      deletions: 1,
      changes: 2,
      sha: 'f'.repeat(40),
    }));
    return {
      status: 200,
      body: {
        status,
        ahead_by: 1,
        behind_by: 0,
        total_commits: 1,
        commits: [],
        files,
      },
    };
  }

  private contentsAt(
    m: Record<string, string>,
    sha: string,
  ): Record<string, string> {
    for (const pr of this.pulls.values())
      if (pr.owner === m.owner && pr.repo === m.repo && pr.contents[sha])
        return pr.contents[sha]!;
    return {};
  }

  private addReviewCommentRecord(
    pull: number,
    input: Omit<FakeReviewComment, 'id' | 'pull' | 'node_id'>,
  ): FakeReviewComment {
    const id = this.nextId++;
    const comment: FakeReviewComment = {
      id,
      pull,
      node_id: `PRRC_${id}`,
      ...input,
    };
    this.reviewComments.push(comment);
    return comment;
  }

  private reviewCommentBody(c: FakeReviewComment) {
    return {
      id: c.id,
      node_id: c.node_id,
      pull_request_review_id: c.pull_request_review_id ?? null,
      in_reply_to_id: c.in_reply_to_id,
      path: c.path,
      line: c.line ?? null,
      side: c.side ?? 'RIGHT',
      commit_id: c.commit_id ?? 'f'.repeat(40),
      body: c.body,
      user: c.user,
    };
  }

  private issueCommentBody(c: FakeIssueComment) {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      body: c.body,
      user: c.user,
      html_url: `${this.url}/comment/${c.id}`,
    };
  }

  private statusBody(st: FakeStatus) {
    return {
      id: st.id,
      node_id: `SC_${st.id}`,
      state: st.state,
      context: st.context,
      description: st.description ?? null,
      target_url: st.target_url ?? null,
      created_at: st.created_at,
      updated_at: st.created_at,
      creator: st.creator,
      url: `${this.url}/statuses/${st.id}`,
    };
  }

  private reactionBody(r: FakeReaction) {
    return {
      id: r.id,
      node_id: `REA_${r.id}`,
      content: r.content,
      user: r.user,
      created_at: new Date().toISOString(),
    };
  }

  private checkRunBody(m: Record<string, string>, run: FakeCheckRun) {
    const { annotations: _a, history: _h, appId, ...rest } = run;
    return {
      ...rest,
      html_url: `${this.url}/${m.owner}/${m.repo}/runs/${run.id}`,
      app: {
        id: appId,
        slug: appId === this.app.id ? this.app.slug : 'other-app',
      },
    };
  }

  /** One page of a list, with GitHub's `link` header when more pages follow. */
  private page(items: unknown[], url: URL) {
    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? 30),
      100,
    );
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const headers: Record<string, string> = {};
    if (page < last) {
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${this.url}${next.pathname}${next.search}>; rel="next", <${this.url}${next.pathname}?per_page=${perPage}&page=${last}>; rel="last"`;
    }
    return {
      status: 200,
      body: items.slice((page - 1) * perPage, page * perPage),
      headers,
    };
  }

  private graphql(body: unknown, record: RecordedRequest) {
    const problems = graphqlProblems(body);
    if (problems.length > 0) {
      this.invalidBodies.push({ route: 'POST /graphql', errors: problems });
      return {
        status: 200,
        body: { errors: problems.map((message) => ({ message })) },
      };
    }
    const operation = parseGraphqlOperation(
      body as { query: string; variables?: Record<string, unknown> },
    );
    if (operation.kind === 'viewer') {
      const actor = this.actor(record);
      return {
        status: 200,
        body: {
          data: { viewer: { login: actor.login, __typename: actor.type } },
        },
      };
    }
    if (operation.kind === 'threads') {
      const pr = this.pulls.get(
        `${operation.owner}/${operation.repo}#${operation.number}`,
      );
      if (!pr)
        return {
          status: 200,
          body: {
            data: { repository: null },
            errors: [{ message: 'Could not resolve to a PullRequest' }],
          },
        };
      const rootIds = new Set(
        this.reviewComments
          .filter((c) => c.pull === pr.number && c.in_reply_to_id === undefined)
          .map((c) => c.id),
      );
      const all = this.threads.filter((t) => rootIds.has(t.rootCommentId));
      const start = operation.cursor ? Number(operation.cursor) : 0;
      const slice = all.slice(start, start + operation.first);
      const hasNextPage = start + operation.first < all.length;
      return {
        status: 200,
        body: {
          data: {
            repository: {
              pullRequest: {
                reviewThreads: {
                  pageInfo: {
                    hasNextPage,
                    endCursor: hasNextPage
                      ? String(start + operation.first)
                      : null,
                  },
                  nodes: slice.map((t) => ({
                    id: t.id,
                    isResolved: t.isResolved,
                    comments: { nodes: [{ databaseId: t.rootCommentId }] },
                  })),
                },
              },
            },
          },
        },
      };
    }
    const data: Record<string, unknown> = {};
    for (const step of operation.steps) {
      const thread = this.threads.find((t) => t.id === step.threadId);
      if (!thread)
        return {
          status: 200,
          body: {
            data: null,
            errors: [
              {
                message: `Could not resolve to a node with the global id of '${step.threadId}'`,
              },
            ],
          },
        };
      if (step.name === 'addPullRequestReviewThreadReply') {
        const root = this.reviewComments.find(
          (c) => c.id === thread.rootCommentId,
        )!;
        const reply = this.addReviewCommentRecord(root.pull, {
          path: root.path,
          body: step.body!,
          in_reply_to_id: root.id,
          user: this.actor(record),
        });
        data[step.alias] = { comment: { id: reply.node_id } };
      } else {
        thread.isResolved = step.name === 'resolveReviewThread';
        data[step.alias] = {
          thread: { id: thread.id, isResolved: thread.isResolved },
        };
      }
    }
    record.route = 'POST /graphql (mutation)';
    return { status: 200, body: { data } };
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? JSON.parse(text) : undefined;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname
        .replace(/^\/api\/v3/, '')
        .replace(/^\/api\/graphql$/, '/graphql'),
      body,
      at: Date.now(),
      auth: authKind(req.headers.authorization),
      accept: req.headers.accept,
    };
    this.requests.push(record);
    if (this.latencyMs > 0)
      await new Promise((r) => setTimeout(r, this.latencyMs));
    const token = /^(?:token|bearer)\s+(\S+)$/i.exec(
      req.headers.authorization ?? '',
    )?.[1];
    if (token) record.token = token;
    if (this.rateLimitResetAt !== undefined) {
      return send(
        res,
        403,
        { message: 'API rate limit exceeded for installation ID 4242.' },
        {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-limit': '5000',
          'x-ratelimit-reset': String(this.rateLimitResetAt),
        },
      );
    }
    if (token && this.rejectedTokens.has(token))
      return send(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
      });
    const isWrite =
      req.method !== 'GET' &&
      !(url.pathname === '/api/graphql' && isGraphqlQuery(body));
    if (token && isWrite && this.readOnlyTokens.has(token))
      return send(res, 403, {
        message: 'Resource not accessible by integration',
      });

    if (req.method === 'POST' && url.pathname === '/api/graphql') {
      record.route = 'POST /graphql';
      const forced = this.failures.get(record.route);
      if (forced) return send(res, forced, { message: 'Injected failure' });
      const fault = this.faults.get(record.route)?.shift();
      if (fault) return send(res, fault.status, fault.body, fault.headers);
      const answer = this.graphql(body, record);
      return send(res, answer.status, answer.body);
    }
    for (const route of this.routes) {
      if (route.method !== req.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      record.route = `${route.method} ${route.template}`;
      const params = Object.fromEntries(
        route.keys.map((key, i) => [key, match[i + 1]!]),
      );
      const forced = this.failures.get(record.route);
      if (forced) return send(res, forced, { message: 'Injected failure' });
      const fault = this.faults.get(record.route)?.shift();
      if (fault) return send(res, fault.status, fault.body, fault.headers);
      if (
        body !== undefined &&
        route.method !== 'GET' &&
        route.method !== 'DELETE'
      ) {
        const errors = validateGitHubBody(route.method, route.template, body);
        if (errors.length > 0) {
          this.invalidBodies.push({ route: record.route, errors });
          return send(res, 422, { message: 'Invalid request', errors });
        }
      }
      const answer = await route.handler(params, body, url, record);
      const slow = this.slowAnswers.get(record.route);
      if (slow) await new Promise((r) => setTimeout(r, slow));
      if (answer.binary) {
        res.writeHead(answer.status, {
          'content-type': 'application/x-gzip',
          'content-length': String(answer.binary.length),
          ...answer.headers,
        });
        return void res.end(answer.binary);
      }
      if (answer.raw) {
        res.writeHead(answer.status, {
          'content-type': 'application/vnd.github.raw; charset=utf-8',
        });
        return void res.end(String(answer.body));
      }
      return send(res, answer.status, answer.body, answer.headers);
    }
    this.unmatched.push(record);
    send(res, 404, { message: 'Not Found (unmatched by the fake)' });
  }
}

function authKind(header: string | undefined): RecordedRequest['auth'] {
  if (!header) return 'none';
  const [scheme, value = ''] = header.split(' ');
  // The app's JWT is three base64url parts; installation tokens start with ghs_.
  if (scheme?.toLowerCase() === 'bearer' && value.split('.').length === 3)
    return 'app';
  return 'installation';
}

function isGraphqlQuery(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { query?: unknown }).query === 'string' &&
    !/^\s*mutation\b/.test((body as { query: string }).query)
  );
}

function send(
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    ...headers,
  });
  res.end(body === undefined || status === 204 ? '' : JSON.stringify(body));
}

function contentBody(path: string, text: string) {
  const content = Buffer.from(text, 'utf8');
  return {
    type: 'file',
    encoding: 'base64',
    size: content.length,
    name: path.split('/').pop(),
    path,
    content: content.toString('base64'),
    sha: 'c'.repeat(40),
  };
}

/** GitHub's rule: a comment's line (and start_line) must fall inside one hunk of the file's diff, on its side. */
function anchorProblem(
  pr: FakePullRequest,
  comment: FakeReview['comments'][number],
): string | undefined {
  const file = pr.files.find((f) => f.filename === comment.path);
  if (!file?.patch) return `Path could not be resolved: ${comment.path}`;
  const hunks = [
    ...file.patch.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm),
  ].map((h) => ({
    left: [Number(h[1]), Number(h[1]) + Number(h[2] ?? 1) - 1],
    right: [Number(h[3]), Number(h[3]) + Number(h[4] ?? 1) - 1],
  }));
  const side = comment.side === 'LEFT' ? 'left' : 'right';
  const startSide = comment.start_side === 'LEFT' ? 'left' : side;
  const hunk = hunks.find(
    (h) => comment.line >= h[side][0]! && comment.line <= h[side][1]!,
  );
  if (!hunk)
    return `Line could not be resolved: ${comment.path}:${comment.line}`;
  if (
    comment.start_line !== undefined &&
    !(
      comment.start_line >= hunk[startSide][0]! &&
      comment.start_line <= hunk[startSide][1]! &&
      comment.start_line < comment.line + 1
    )
  ) {
    return `start_line must be part of the same hunk as the line: ${comment.path}:${comment.start_line}`;
  }
  return undefined;
}

/** The GraphQL operations the app may send: the review threads query, and batches of thread mutations. */
type GraphqlOperation =
  | { kind: 'viewer' }
  | {
      kind: 'threads';
      owner: string;
      repo: string;
      number: number;
      cursor?: string;
      first: number;
    }
  | {
      kind: 'mutation';
      steps: Array<{
        alias: string;
        name: string;
        threadId: string;
        body?: string;
      }>;
    };

const MUTATION_FIELD =
  /(\w+):\s*(resolveReviewThread|unresolveReviewThread|addPullRequestReviewThreadReply)\(input:\s*\{([^}]*)\}\)\s*\{\s*(?:thread\s*\{\s*id\s+isResolved\s*\}|comment\s*\{\s*id\s*\})\s*\}/g;
const MUTATION_INPUTS: Record<string, Record<string, string>> = {
  resolveReviewThread: { threadId: 'ID!' },
  unresolveReviewThread: { threadId: 'ID!' },
  addPullRequestReviewThreadReply: {
    pullRequestReviewThreadId: 'ID!',
    body: 'String!',
  },
};

/**
 * What GitHub would reject in a GraphQL request of the shapes above: malformed documents, unknown
 * fields, undeclared or missing variables, wrong variable types.
 */
function graphqlProblems(body: unknown): string[] {
  if (
    typeof body !== 'object' ||
    body === null ||
    typeof (body as { query?: unknown }).query !== 'string'
  )
    return ['body must be an object with a string `query`'];
  const { query, variables = {} } = body as {
    query: string;
    variables?: Record<string, unknown>;
  };
  if (typeof variables !== 'object' || variables === null)
    return ['`variables` must be an object'];
  // Who the token is: the one operation without variables.
  if (query.trim() === VIEWER_QUERY)
    return Object.keys(variables).length === 0
      ? []
      : ['the viewer query takes no variables'];
  const declared = declarations(query);
  if (!declared) return ['the operation must declare its variables'];
  const problems: string[] = [];
  for (const [name, type] of declared) {
    const value = variables[name];
    if (type.endsWith('!') && (value === undefined || value === null))
      problems.push(`variable $${name} of type ${type} was not provided`);
    if (
      value !== undefined &&
      value !== null &&
      (type.startsWith('Int')
        ? !Number.isInteger(value)
        : typeof value !== 'string')
    )
      problems.push(`variable $${name} is not a ${type}`);
  }
  for (const name of Object.keys(variables))
    if (!declared.has(name)) problems.push(`variable $${name} is not declared`);
  if (/^\s*query\b/.test(query)) {
    const expected = [
      'repository(owner: $owner, name: $repo)',
      'pullRequest(number: $number)',
      'reviewThreads(first: 100, after: $cursor)',
      'pageInfo { hasNextPage endCursor }',
      'nodes { id isResolved comments(first: 1) { nodes { databaseId } } }',
    ];
    for (const part of expected)
      if (!query.includes(part))
        problems.push(`unexpected review threads query: missing \`${part}\``);
    return problems;
  }
  const selection = /^\s*mutation\s*\([^)]*\)\s*\{([\s\S]*)\}\s*$/.exec(
    query,
  )?.[1];
  if (selection === undefined)
    return [...problems, 'only `query` and `mutation` operations are expected'];
  const rest = selection.replace(
    MUTATION_FIELD,
    (_all, _alias: string, name: string, input: string) => {
      const allowed = MUTATION_INPUTS[name]!;
      const args = input.split(',').map((arg) => arg.trim().split(/\s*:\s*/));
      for (const [key, value] of args) {
        if (!key || !value || !(key in allowed))
          problems.push(`${name} has no input field \`${key}\``);
        else if (
          !value.startsWith('$') ||
          declared.get(value.slice(1)) !== allowed[key]
        )
          problems.push(
            `${name}.${key} must be a declared ${allowed[key]} variable`,
          );
      }
      for (const key of Object.keys(allowed))
        if (!args.some(([k]) => k === key))
          problems.push(`${name} needs \`${key}\``);
      return '';
    },
  );
  if (rest.trim() !== '')
    problems.push(`unexpected mutation fields: ${rest.trim().slice(0, 100)}`);
  return problems;
}

function declarations(query: string): Map<string, string> | undefined {
  const list = /^\s*(?:query|mutation)\s*\(([^)]*)\)/.exec(query)?.[1];
  if (list === undefined) return undefined;
  const declared = new Map<string, string>();
  for (const part of list.split(',')) {
    const match = /^\s*\$(\w+)\s*:\s*([\w!]+)\s*$/.exec(part);
    if (match) declared.set(match[1]!, match[2]!);
  }
  return declared;
}

const VIEWER_QUERY = 'query { viewer { login __typename } }';

function parseGraphqlOperation(body: {
  query: string;
  variables?: Record<string, unknown>;
}): GraphqlOperation {
  const variables = body.variables ?? {};
  if (body.query.trim() === VIEWER_QUERY) return { kind: 'viewer' };
  if (/^\s*query\b/.test(body.query)) {
    return {
      kind: 'threads',
      owner: String(variables.owner),
      repo: String(variables.repo),
      number: Number(variables.number),
      ...(typeof variables.cursor === 'string'
        ? { cursor: variables.cursor }
        : {}),
      first: 100,
    };
  }
  const steps: Array<{
    alias: string;
    name: string;
    threadId: string;
    body?: string;
  }> = [];
  for (const match of body.query.matchAll(MUTATION_FIELD)) {
    const args = Object.fromEntries(
      match[3]!
        .split(',')
        .map((arg) => arg.trim().split(/\s*:\s*/) as [string, string]),
    );
    const value = (key: string) =>
      args[key] ? String(variables[args[key]!.slice(1)]) : undefined;
    steps.push({
      alias: match[1]!,
      name: match[2]!,
      threadId: value('threadId') ?? value('pullRequestReviewThreadId')!,
      ...(args.body ? { body: value('body')! } : {}),
    });
  }
  return { kind: 'mutation', steps };
}

/** A gzipped tarball of a commit the way GitHub's archive endpoint lays it out: everything under one top-level folder. */
async function tarball(
  root: string,
  files: Record<string, string>,
  symlinks: Record<string, string>,
): Promise<Buffer> {
  const pack = tarPack();
  for (const [path, text] of Object.entries(files))
    pack.entry({ name: `${root}/${path}`, type: 'file', mode: 0o644 }, text);
  for (const [path, target] of Object.entries(symlinks))
    pack.entry({ name: `${root}/${path}`, type: 'symlink', linkname: target });
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack.pipe(createGzip()))
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
