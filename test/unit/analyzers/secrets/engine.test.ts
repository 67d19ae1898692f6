import { describe, expect, it } from 'vitest';
import {
  createSecretRedactor,
  createSecretsAnalyzer,
} from '../../../../src/analyzers/secrets/index.ts';
import { createSecurityAnalyzer } from '../../../../src/analyzers/security/index.ts';
import { DEFAULT_CONFIG } from '../../../../src/config/schema.ts';
import type {
  ModelReviewRequest,
  ModelReviewer,
} from '../../../../src/core/ports.ts';
import { reviewChangeSet } from '../../../../src/core/review.ts';
import { added, changed, changeSetOf } from '../security/build-input.ts';

const GITHUB_TOKEN = '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';

/** Records what the model would be sent; answers with no findings. */
function recordingReviewer(): ModelReviewer & {
  requests: ModelReviewRequest[];
} {
  const requests: ModelReviewRequest[] = [];
  return {
    model: 'recording',
    requests,
    async review(request) {
      requests.push(request);
      return {
        findings: [],
        usage: {
          model: 'recording',
          requests: 1,
          inputTokens: 1,
          outputTokens: 1,
          cacheReadTokens: 0,
          cacheCreationTokens: 0,
        },
        droppedItems: 0,
      };
    },
  };
}

describe('secrets and security analyzers in the review engine', () => {
  it('fails the gate on a committed token, anchors it inline, and never sends the token to the model', async () => {
    const client = changed(
      'src/github/client.ts',
      `
 import { Octokit } from '@octokit/rest';
-export const client = new Octokit({ auth: process.env.GITHUB_TOKEN });
+export const client = new Octokit({ auth: '${GITHUB_TOKEN}' });
+export const password = "correct-horse-battery";
`,
    );
    const sql = added(
      'src/users.ts',
      `export const byId = (db, id) => db.query(\`SELECT * FROM users WHERE id = \${id}\`);\n`,
    );
    const model = recordingReviewer();
    const result = await reviewChangeSet(
      changeSetOf([client, sql]),
      DEFAULT_CONFIG,
      {
        analyzers: [createSecretsAnalyzer(), createSecurityAnalyzer()],
        reviewer: model,
        redactor: createSecretRedactor(),
      },
    );

    expect(
      result.findings.map((f) => [f.ruleId, f.severity, f.path, f.placement]),
    ).toEqual([
      [
        'security/hardcoded-secret',
        'critical',
        'src/github/client.ts',
        { kind: 'inline', side: 'RIGHT', line: 2 },
      ],
      [
        'security/sql-injection',
        'high',
        'src/users.ts',
        { kind: 'inline', side: 'RIGHT', line: 1 },
      ],
    ]);
    expect(result.gate.conclusion).toBe('failure');
    expect(result.coverage.notes).toEqual([]);

    const sent = JSON.stringify(model.requests.map((request) => request.chunk));
    expect(model.requests).toHaveLength(1);
    expect(sent).not.toContain(GITHUB_TOKEN.slice(4));
    expect(sent).not.toContain('correct-horse-battery');
    expect(sent).toContain('process.env.GITHUB_TOKEN');
    const clientLines = model.requests[0]!.chunk.files.find(
      (f) => f.path === 'src/github/client.ts',
    )!.hunks[0]!.lines;
    expect(clientLines.map((line) => line.kind)).toEqual([
      'ctx',
      'del',
      'add',
      'add',
    ]);
  });
});
