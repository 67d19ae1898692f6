import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules as securityRules } from '../../../../src/analyzers/security/index.ts';
import { createSecurityAnalyzer } from '../../../../src/analyzers/security/index.ts';
import { isTestFile } from '../../../../src/analyzers/code/test-files.ts';
import { rules as secretRules } from '../../../../src/analyzers/secrets/index.ts';
import { rulePagePath } from '../../../../src/core/rules.ts';
import { added, analyzerInput, changed } from './build-input.ts';

const VULNERABLE = `
export async function handler(req, db) {
  await db.query(\`SELECT * FROM users WHERE id = \${req.params.id}\`);
}
`;

describe('security code analyzer', () => {
  it('does nothing, and reads nothing, when the security lens is off', async () => {
    const reads: string[] = [];
    const output = await createSecurityAnalyzer().analyze(
      analyzerInput([added('src/a.ts', VULNERABLE)], {
        lenses: ['performance'],
        reads,
      }),
    );
    expect(output).toEqual({ findings: [], notes: [] });
    expect(reads).toEqual([]);
  });

  it('skips test code, removed files and languages it does not parse', async () => {
    const files = [
      added('src/users.test.ts', VULNERABLE),
      added('test/helpers/db.ts', VULNERABLE),
      added(
        'internal/store_test.go',
        'package store\nfunc f() { db.Query("SELECT * FROM t WHERE a = " + a) }\n',
      ),
      added('src/users.php', VULNERABLE),
      {
        ...changed(
          'src/old.ts',
          `-${VULNERABLE.trim().split('\n').join('\n-')}`,
        ),
        file: {
          path: 'src/old.ts',
          status: 'removed' as const,
          additions: 0,
          deletions: 3,
        },
      },
    ];
    const output = await createSecurityAnalyzer().analyze(analyzerInput(files));
    expect(output).toEqual({ findings: [], notes: [] });
    expect(isTestFile('app/tests/test_views.py')).toBe(true);
    expect(isTestFile('src/main/java/app/UserServiceTest.java')).toBe(true);
    expect(isTestFile('src/contest/entry.ts')).toBe(false);
  });

  it('reports unreadable files and syntax errors as coverage notes, and keeps going', async () => {
    const missing = added('src/huge.ts', VULNERABLE);
    const broken = added('src/broken.ts', `${VULNERABLE}\nexport const = ;\n`);
    const fine = added('src/fine.ts', VULNERABLE);
    const input = analyzerInput([missing, broken, fine]);
    const read = input.changeSet.contents.read.bind(input.changeSet.contents);
    input.changeSet.contents.read = async (revision, path) =>
      path === 'src/huge.ts' ? undefined : read(revision, path);
    const output = await createSecurityAnalyzer().analyze(input);
    expect(output.notes).toHaveLength(2);
    expect(output.notes).toEqual(
      expect.arrayContaining([
        {
          source: 'security-code',
          path: 'src/huge.ts',
          message:
            'could not analyse: file contents unavailable (binary or over limits.max_file_bytes)',
        },
        {
          source: 'security-code',
          path: 'src/broken.ts',
          line: 5,
          message:
            'could not analyse: syntax error at line 5; the rest of the file was checked',
        },
      ]),
    );
    expect(output.findings.map((f) => f.path)).toEqual([
      'src/broken.ts',
      'src/fine.ts',
    ]);
  });

  it('is deterministic and stops when aborted', async () => {
    const files = [
      added('src/a.ts', VULNERABLE),
      added(
        'src/b.py',
        'def f(c, x):\n    c.execute(f"SELECT * FROM t WHERE a = {x}")\n',
      ),
    ];
    const first = await createSecurityAnalyzer().analyze(analyzerInput(files));
    const second = await createSecurityAnalyzer().analyze(analyzerInput(files));
    expect(second).toEqual(first);
    expect(first.findings).toHaveLength(2);
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(
      createSecurityAnalyzer().analyze(
        analyzerInput(files, { signal: controller.signal }),
      ),
    ).rejects.toThrow('cancelled');
  });

  it('describes every rule once, under the security lens, with a docs page', () => {
    const all = [...securityRules, ...secretRules];
    expect(new Set(all.map((rule) => rule.id)).size).toBe(all.length);
    for (const rule of all) {
      expect(rule.id).toMatch(/^security\/[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.lens).toBe('security');
      const page = fileURLToPath(
        new URL(`../../../../${rulePagePath(rule.id)}`, import.meta.url),
      );
      expect(
        existsSync(page),
        `${rule.id} needs ${rulePagePath(rule.id)}`,
      ).toBe(true);
    }
  });
});
