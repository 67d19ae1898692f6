import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateGitHubBody } from './github-openapi.ts';

/**
 * A small stateful stand-in for GitHub's REST API, served over real HTTP so the app under test runs
 * unmodified (Probot talks to it through GHE_HOST). It answers only what the app is expected to ask;
 * anything else is recorded as unmatched and answered 404, and tests assert there was none.
 */
export interface FakeFile {
  filename: string;
  status: 'added' | 'modified' | 'removed' | 'renamed' | 'copied' | 'changed' | 'unchanged';
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
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The route template it matched, e.g. `POST /repos/{owner}/{repo}/check-runs`. */
  route?: string;
  body?: unknown;
  at: number;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  external_id?: string;
  output?: { title?: string; summary?: string; text?: string; annotations?: unknown[] };
  annotations: unknown[];
  history: Array<{ status?: string; conclusion?: string }>;
}

export interface FakeReview {
  id: number;
  pull: number;
  commit_id?: string;
  event?: string;
  body?: string;
  comments: Array<{ path: string; line: number; side?: string; start_line?: number; start_side?: string; body: string }>;
}

type Handler = (match: Record<string, string>, body: unknown, url: URL) => { status: number; body?: unknown; headers?: Record<string, string> };

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly unmatched: RecordedRequest[] = [];
  readonly invalidBodies: Array<{ route: string; errors: string[] }> = [];
  readonly checkRuns: FakeCheckRun[] = [];
  readonly reviews: FakeReview[] = [];
  readonly pulls = new Map<string, FakePullRequest>();
  /** Raw `.github/architect.yml` per `owner/repo`. */
  readonly configs = new Map<string, string>();
  /** Routes forced to fail: `METHOD template` → status. */
  readonly failures = new Map<string, number>();
  /** Artificial latency per request, to mimic a remote API. */
  latencyMs = 0;
  private server: Server | undefined;
  private routes: Route[] = [];
  private nextId = 1000;

  constructor() {
    this.route('POST', '/app/installations/{installation_id}/access_tokens', () => ({
      status: 201,
      body: { token: 'ghs_faketoken', expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: {}, repository_selection: 'all' },
    }));
    this.route('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files', (m, _b, url) => {
      const pr = this.pull(m);
      if (!pr) return { status: 404, body: { message: 'Not Found' } };
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Number(url.searchParams.get('page') ?? 1);
      const listed = pr.files.slice(0, 3000);
      const slice = listed.slice((page - 1) * perPage, page * perPage);
      const last = Math.ceil(listed.length / perPage);
      const headers: Record<string, string> = {};
      if (page < last) {
        const next = new URL(url);
        next.searchParams.set('page', String(page + 1));
        headers.link = `<${this.url}${next.pathname}${next.search}>; rel="next", <${this.url}${next.pathname}?per_page=${perPage}&page=${last}>; rel="last"`;
      }
      return { status: 200, body: slice.map((f) => ({ sha: 'f'.repeat(40), changes: f.additions + f.deletions, ...f })), headers };
    });
    this.route('GET', '/repos/{owner}/{repo}/contents/{path}', (m, _b, url) => {
      const path = decodeURIComponent(m.path!);
      if (path === '.github/architect.yml') {
        const raw = this.configs.get(`${m.owner}/${m.repo}`);
        return raw === undefined ? { status: 404, body: { message: 'Not Found' } } : { status: 200, body: contentBody(path, raw) };
      }
      const ref = url.searchParams.get('ref') ?? '';
      for (const pr of this.pulls.values()) {
        if (pr.owner !== m.owner || pr.repo !== m.repo) continue;
        const text = pr.contents[ref]?.[path];
        if (text !== undefined) return { status: 200, body: contentBody(path, text) };
      }
      return { status: 404, body: { message: 'Not Found' } };
    });
    this.route('GET', '/repos/{owner}/{repo}/git/trees/{tree_sha}', (m) => {
      for (const pr of this.pulls.values()) {
        const files = pr.contents[m.tree_sha!];
        if (pr.owner === m.owner && pr.repo === m.repo && files) {
          return { status: 200, body: { sha: m.tree_sha, truncated: false, tree: Object.keys(files).map((path) => ({ path, type: 'blob', mode: '100644', sha: 'e'.repeat(40) })) } };
        }
      }
      return { status: 404, body: { message: 'Not Found' } };
    });
    this.route('POST', '/repos/{owner}/{repo}/check-runs', (m, body) => {
      const input = body as Omit<FakeCheckRun, 'id' | 'annotations' | 'history'>;
      const run: FakeCheckRun = { ...input, id: this.nextId++, status: input.status ?? 'queued', annotations: [...(input.output?.annotations ?? [])], history: [{ status: input.status, conclusion: input.conclusion }] };
      this.checkRuns.push(run);
      return { status: 201, body: this.checkRunBody(m, run) };
    });
    this.route('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}', (m, body) => {
      const run = this.checkRuns.find((r) => r.id === Number(m.check_run_id));
      if (!run) return { status: 404, body: { message: 'Not Found' } };
      const update = body as Partial<FakeCheckRun>;
      if (update.conclusion) run.status = 'completed';
      Object.assign(run, { ...update, status: update.status ?? run.status, output: update.output ?? run.output });
      run.annotations.push(...(update.output?.annotations ?? []));
      run.history.push({ status: run.status, conclusion: update.conclusion });
      return { status: 200, body: this.checkRunBody(m, run) };
    });
    this.route('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', (m, body) => {
      const pr = this.pull(m);
      if (!pr) return { status: 404, body: { message: 'Not Found' } };
      const input = body as Omit<FakeReview, 'id' | 'pull'>;
      for (const comment of input.comments ?? []) {
        const problem = anchorProblem(pr, comment);
        if (problem) return { status: 422, body: { message: 'Unprocessable Entity', errors: [problem] } };
      }
      const review: FakeReview = { id: this.nextId++, pull: pr.number, ...input, comments: input.comments ?? [] };
      this.reviews.push(review);
      return { status: 200, body: { id: review.id, state: 'COMMENTED', body: review.body, commit_id: review.commit_id, html_url: `${this.url}/review/${review.id}` } };
    });
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('fake GitHub is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** What to put in GHE_HOST: Probot then calls http://host/api/v3. */
  get host(): string {
    return this.url.replace('http://', '');
  }

  addPullRequest(pr: FakePullRequest): void {
    this.pulls.set(`${pr.owner}/${pr.repo}#${pr.number}`, pr);
  }

  /** Requests that create or change something on GitHub. */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== 'GET' && !r.path.includes('/access_tokens'));
  }

  async listen(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private route(method: string, template: string, handler: Handler): void {
    const keys: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, key: string) => {
      keys.push(key);
      return key === 'path' ? '(.+)' : '([^/]+)';
    });
    this.routes.push({ method, template, pattern: new RegExp(`^/api/v3${source}$`), keys, handler });
  }

  private pull(m: Record<string, string>): FakePullRequest | undefined {
    return this.pulls.get(`${m.owner}/${m.repo}#${m.pull_number}`);
  }

  private checkRunBody(m: Record<string, string>, run: FakeCheckRun) {
    return { ...run, html_url: `${this.url}/${m.owner}/${m.repo}/runs/${run.id}`, annotations: undefined, history: undefined };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? JSON.parse(text) : undefined;
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname.replace(/^\/api\/v3/, ''), body, at: Date.now() };
    this.requests.push(record);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));

    for (const route of this.routes) {
      if (route.method !== req.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      record.route = `${route.method} ${route.template}`;
      const params = Object.fromEntries(route.keys.map((key, i) => [key, match[i + 1]!]));
      const forced = this.failures.get(record.route);
      if (forced) return send(res, forced, { message: 'Injected failure' });
      if (body !== undefined && route.method !== 'GET') {
        const errors = validateGitHubBody(route.method, route.template, body);
        if (errors.length > 0) {
          this.invalidBodies.push({ route: record.route, errors });
          return send(res, 422, { message: 'Invalid request', errors });
        }
      }
      const answer = route.handler(params, body, url);
      return send(res, answer.status, answer.body, answer.headers);
    }
    this.unmatched.push(record);
    send(res, 404, { message: 'Not Found (unmatched by the fake)' });
  }
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

function contentBody(path: string, text: string) {
  const content = Buffer.from(text, 'utf8');
  return { type: 'file', encoding: 'base64', size: content.length, name: path.split('/').pop(), path, content: content.toString('base64'), sha: 'c'.repeat(40) };
}

/** GitHub's rule: a comment's line (and start_line) must fall inside one hunk of the file's diff, on its side. */
function anchorProblem(pr: FakePullRequest, comment: FakeReview['comments'][number]): string | undefined {
  const file = pr.files.find((f) => f.filename === comment.path);
  if (!file?.patch) return `Path could not be resolved: ${comment.path}`;
  const hunks = [...file.patch.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)].map((h) => ({
    left: [Number(h[1]), Number(h[1]) + Number(h[2] ?? 1) - 1],
    right: [Number(h[3]), Number(h[3]) + Number(h[4] ?? 1) - 1],
  }));
  const side = comment.side === 'LEFT' ? 'left' : 'right';
  const startSide = comment.start_side === 'LEFT' ? 'left' : side;
  const hunk = hunks.find((h) => comment.line >= h[side][0]! && comment.line <= h[side][1]!);
  if (!hunk) return `Line could not be resolved: ${comment.path}:${comment.line}`;
  if (comment.start_line !== undefined && !(comment.start_line >= hunk[startSide][0]! && comment.start_line <= hunk[startSide][1]! && comment.start_line < comment.line + 1)) {
    return `start_line must be part of the same hunk as the line: ${comment.path}:${comment.start_line}`;
  }
  return undefined;
}
