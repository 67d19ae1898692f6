import { z } from 'zod';
import type { Config } from '../../config/schema.ts';
import { fileTokens } from '../../core/chunking.ts';
import { addedLines, parsePatch } from '../../core/diff/parse-patch.ts';
import type { DraftFinding } from '../../core/finding.ts';
import { redactHunks, redactText } from '../../core/redact-text.ts';
import { explanationText } from '../../report/command-replies.ts';
import { inlineCode } from '../../report/sanitize.ts';
import { usageText } from '../../report/status-lines.ts';
import { githubContentReader } from '../repository/github-content-reader.ts';
import { githubRepositoryView } from '../repository/github-repository-view.ts';
import {
  modelTools,
  modelToolsEnabled,
} from '../../core/repository/model-tools.ts';
import { requestSignal, type GitHubClient } from '../client/github-client.ts';
import type { AppIdentity } from '../client/identity.ts';
import { listPullRequestFiles } from '../repository/list-pull-request-files.ts';
import type { PullRequestInfo } from '../repository/pull-request-info.ts';
import type { GitHubReviewDeps } from '../review/run-engine.ts';
import { isOwnComment, readMarker, stripMarker } from '../history/markers.ts';
import { loadPullRequestRecord } from '../state/pull-request-record.ts';
import { reportFromState } from '../history/report-from-state.ts';
import {
  addCost,
  compactState,
  TrackedFindingSchema,
  type TrackedFinding,
} from '../history/review-state.ts';
import { saveReviewState } from '../state/save-review-state.ts';
import type { CommandSource } from './command-source.ts';
import {
  explainChunkFile,
  explainInstructions,
  threadText,
} from './explain-request.ts';

const CommentSchema = z.object({
  id: z.int().positive(),
  body: z.string().nullish(),
  user: z.object({ login: z.string(), type: z.string().optional() }).nullish(),
  in_reply_to_id: z.int().positive().nullish(),
});

export interface ExplainResult {
  ok: boolean;
  reply: string;
}

/**
 * `/architect explain` in a finding's thread: the model looks at the finding again with the file
 * around it and the discussion so far, and the answer goes into the thread. Its cost is added to
 * the pull request's total.
 */
export async function explainFinding(
  octokit: GitHubClient,
  source: CommandSource,
  context: {
    identity: AppIdentity;
    pr: PullRequestInfo;
    config: Config;
    deps: GitHubReviewDeps;
    signal: AbortSignal;
  },
): Promise<ExplainResult> {
  const { identity, pr, config, deps, signal } = context;
  if (source.where !== 'review' || source.threadRootId === undefined) {
    return {
      ok: false,
      reply:
        'reply with `/architect explain` in the thread of one of my findings on the diff, so I know which finding to explain.',
    };
  }
  const root = await getReviewComment(
    octokit,
    source,
    source.threadRootId,
    signal,
  );
  const finding =
    root && isOwnComment(root.user, identity.login)
      ? readMarker(root.body, 'finding', TrackedFindingSchema)
      : undefined;
  if (!root || !finding)
    return {
      ok: false,
      reply:
        'this thread does not start with one of my findings, so there is nothing for me to explain here.',
    };
  if (!config.model.enabled)
    return {
      ok: false,
      reply:
        'the AI review is turned off for this repository (`model.enabled: false`), so I cannot explain further.',
    };
  const reviewer = deps.createReviewer({
    model: config.model.name,
    maxOutputTokens: config.model.max_output_tokens,
    timeoutMs: config.model.timeout_seconds * 1000,
    logger: deps.logger,
  });
  if (!reviewer)
    return {
      ok: false,
      reply:
        'the AI review is not configured on this server (no ANTHROPIC_API_KEY), so I cannot explain further than the comment above.',
    };

  const reader = githubContentReader(octokit, {
    owner: source.owner,
    repo: source.repo,
    baseSha: pr.baseSha,
    headSha: pr.headSha,
    maxFileBytes: config.limits.max_file_bytes,
    logger: deps.logger,
    signal,
  });
  const [headText, listing, thread] = await Promise.all([
    reader.read('head', finding.path, signal),
    listPullRequestFiles(
      octokit,
      { owner: source.owner, repo: source.repo, pullNumber: pr.number },
      { signal, expectedFiles: pr.changedFiles },
    ),
    threadComments(octokit, source, root.id, signal),
  ]);
  const file = listing.files.find((f) => f.path === finding.path);
  if (headText === undefined || !file)
    return {
      ok: false,
      reply: `I could not read ${inlineCode(finding.path)} at the pull request's head, so I cannot explain with more context.`,
    };

  let chunkFile = explainChunkFile(
    finding,
    headText,
    addedLines(parsePatch(file.patch)),
    file.status,
  );
  if (deps.redactor)
    chunkFile = {
      ...chunkFile,
      hunks: await redactHunks(deps.redactor, chunkFile.path, chunkFile.hunks),
    };
  // The thread and the title are people's text: secrets in them are masked like those in code.
  const [title, discussion] = await Promise.all([
    redactText(deps.redactor, 'pull-request-title.txt', pr.title, deps.logger),
    redactText(
      deps.redactor,
      'review-thread.md',
      threadText([
        { author: identity.login, body: stripMarker(root.body ?? '') },
        ...thread,
      ]),
      deps.logger,
    ),
  ]);
  // The same read-only tools as the review, so the explanation can look at the code the finding depends on.
  const view = modelToolsEnabled(config)
    ? githubRepositoryView(octokit, {
        owner: source.owner,
        repo: source.repo,
        headSha: pr.headSha,
        maxFileBytes: config.limits.max_file_bytes,
        contents: reader,
        logger: deps.logger,
        signal,
      })
    : undefined;
  const tools = modelTools(view, config, deps.redactor, deps.logger)?.session();
  const response = await reviewer
    .review({
      chunk: {
        index: 0,
        files: [chunkFile],
        estimatedTokens: fileTokens(chunkFile),
      },
      chunkCount: 1,
      lenses: [finding.lens],
      instructions: explainInstructions(finding, config.instructions),
      title,
      description: discussion,
      grounding: [],
      ...(tools ? { tools } : {}),
      signal,
    })
    .finally(() => view?.close());
  const match = closest(
    response.findings.filter(
      (f) => f.path === finding.path && f.lens === finding.lens,
    ),
    finding,
  );
  await recordCost(
    octokit,
    source,
    identity,
    config,
    response.usage,
    signal,
  ).catch((error: unknown) =>
    deps.logger.warn(
      { err: error },
      'could not add the explanation cost to the summary',
    ),
  );
  return {
    ok: true,
    reply: explanationText({
      id: finding.id,
      title: finding.title,
      ...(match
        ? { body: match.body, ...(match.fix ? { fix: match.fix } : {}) }
        : {}),
      ...(response.summary ? { summary: response.summary } : {}),
      stillReported: match !== undefined,
      usage: usageText(response.usage, (t) => t),
    }),
  };
}

async function getReviewComment(
  octokit: GitHubClient,
  source: CommandSource,
  id: number,
  signal: AbortSignal,
) {
  const { data } = await octokit.request(
    'GET /repos/{owner}/{repo}/pulls/comments/{comment_id}',
    {
      owner: source.owner,
      repo: source.repo,
      comment_id: id,
      request: { signal: requestSignal(signal) },
    },
  );
  const parsed = CommentSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

/** The replies in a thread, oldest first (the first page of 100 comments after the root is plenty of context). */
async function threadComments(
  octokit: GitHubClient,
  source: CommandSource,
  rootId: number,
  signal: AbortSignal,
): Promise<Array<{ author: string; body: string }>> {
  const comments: Array<{ author: string; body: string }> = [];
  for (let page = 1; page <= 30; page++) {
    const { data } = await octokit.request(
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
      {
        owner: source.owner,
        repo: source.repo,
        pull_number: source.pullNumber,
        per_page: 100,
        page,
        request: { signal: requestSignal(signal) },
      },
    );
    const parsed = z.array(CommentSchema).safeParse(data);
    if (!parsed.success)
      throw new Error('unexpected response listing review comments');
    for (const c of parsed.data)
      if (c.in_reply_to_id === rootId)
        comments.push({
          author: c.user?.login ?? 'ghost',
          body: stripMarker(c.body ?? ''),
        });
    if (parsed.data.length < 100) break;
  }
  return comments;
}

function closest(
  findings: DraftFinding[],
  finding: TrackedFinding,
): DraftFinding | undefined {
  const at = finding.start ?? 0;
  return [...findings].sort(
    (a, b) =>
      Math.abs((a.lines?.start ?? 0) - at) -
      Math.abs((b.lines?.start ?? 0) - at),
  )[0];
}

/** Explanations cost money too; the summary's running total includes them. */
async function recordCost(
  octokit: GitHubClient,
  source: CommandSource,
  identity: AppIdentity,
  config: Config,
  usage: Parameters<typeof addCost>[1],
  signal: AbortSignal,
): Promise<void> {
  if (usage.requests === 0) return;
  const target = {
    owner: source.owner,
    repo: source.repo,
    pullNumber: source.pullNumber,
  };
  const record = await loadPullRequestRecord(
    octokit,
    { ...target, botLogin: identity.login },
    signal,
  );
  const last = record.state.last;
  if (!last) return;
  const next = compactState({
    ...record.state,
    cost: addCost(record.state.cost, usage),
  });
  await saveReviewState(
    octokit,
    target,
    record.summary,
    next,
    reportFromState(next, last, config),
    signal,
  );
}
