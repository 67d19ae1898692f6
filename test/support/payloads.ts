import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, any>>;
}

const groups =
  require('@octokit/webhooks-examples/api.github.com/index.json') as ExampleGroup[];

/** A real webhook payload from GitHub's published examples (deep-copied), the first with that action. */
export function examplePayload(
  event: string,
  action: string,
): Record<string, any> {
  const group = groups.find((g) => g.name === event);
  const example = group?.examples.find((e) => e.action === action);
  if (!example)
    throw new Error(
      `no ${event}.${action} example in @octokit/webhooks-examples`,
    );
  return structuredClone(example);
}

export interface PullRequestShape {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  baseSha: string;
  changedFiles: number;
  draft?: boolean;
  installationId?: number;
  title?: string;
  body?: string;
}

/** A real `pull_request` payload adapted to the pull request a test has set up on the fake GitHub. */
export function pullRequestPayload(
  action: 'opened' | 'synchronize' | 'reopened' | 'ready_for_review',
  pr: PullRequestShape,
): Record<string, any> {
  const payload = examplePayload('pull_request', action);
  payload.number = pr.number;
  payload.pull_request.number = pr.number;
  payload.pull_request.head.sha = pr.headSha;
  payload.pull_request.base.sha = pr.baseSha;
  payload.pull_request.draft = pr.draft ?? false;
  payload.pull_request.changed_files = pr.changedFiles;
  payload.pull_request.title = pr.title ?? 'Add checkout v2';
  payload.pull_request.body = pr.body ?? 'Adds the v2 checkout endpoint.';
  payload.repository.name = pr.repo;
  payload.repository.full_name = `${pr.owner}/${pr.repo}`;
  payload.repository.owner.login = pr.owner;
  payload.pull_request.base.repo.name = pr.repo;
  payload.pull_request.base.repo.full_name = `${pr.owner}/${pr.repo}`;
  payload.pull_request.base.repo.owner.login = pr.owner;
  payload.pull_request.head.repo.name = pr.repo;
  payload.pull_request.head.repo.full_name = `${pr.owner}/${pr.repo}`;
  payload.pull_request.head.repo.owner.login = pr.owner;
  if (action === 'synchronize') payload.after = pr.headSha;
  payload.installation = {
    id: pr.installationId ?? 4242,
    node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==',
  };
  return payload;
}
