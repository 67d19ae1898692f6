import type { FakePullRequest } from './fake-github.ts';

/** A small backend pull request for runtime tests: one changed file the analyzers and the model look at. */
export function backendPullRequest(
  number: number,
  headSha: string,
  options: { owner?: string; repo?: string } = {},
): FakePullRequest {
  const baseSha = 'b'.repeat(40);
  const after = [
    'export async function charge(order) {',
    '  const res = await fetch(`${process.env.PAYMENTS_URL}/charges`, { method: "POST" });',
    '  return res.json();',
    '}',
  ];
  return {
    owner: options.owner ?? 'acme',
    repo: options.repo ?? 'orders',
    number,
    headSha,
    baseSha,
    files: [
      {
        filename: 'src/payments/client.ts',
        status: 'modified',
        additions: 2,
        deletions: 1,
        patch: [
          '@@ -1,3 +1,4 @@',
          ' export async function charge(order) {',
          '-  return { ok: true };',
          `+${after[1]}`,
          `+${after[2]}`,
          ' }',
        ].join('\n'),
      },
    ],
    contents: {
      [baseSha]: {
        'src/payments/client.ts':
          'export async function charge(order) {\n  return { ok: true };\n}\n',
      },
      [headSha]: { 'src/payments/client.ts': `${after.join('\n')}\n` },
    },
  };
}

/** A push to the same pull request: a new head with the same change set. */
export function pushTo(
  pr: FakePullRequest,
  headSha: string,
): {
  headSha: string;
  files: FakePullRequest['files'];
  contents: Record<string, string>;
} {
  return {
    headSha,
    files: pr.files,
    contents: { ...pr.contents[pr.headSha]! },
  };
}
