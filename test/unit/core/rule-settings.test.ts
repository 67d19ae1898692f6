import { describe, expect, it } from 'vitest';
import { ruleIds } from '../../../src/analyzers/index.ts';
import { parseConfig } from '../../../src/config/parse-config.ts';
import { nearestId } from '../../../src/config/rule-ids.ts';
import type { DraftFinding } from '../../../src/core/finding.ts';
import {
  applyRuleSettings,
  ruleSettingResolver,
} from '../../../src/core/rule-settings.ts';

const finding = (
  ruleId: string,
  path: string,
  source: DraftFinding['source'] = 'analyzer',
): DraftFinding => ({
  lens: ruleId.split('/')[0] as DraftFinding['lens'],
  severity: 'high',
  ruleId,
  source,
  path,
  title: 't',
  body: 'b',
});

describe('per-rule configuration', () => {
  const { config, problems } = parseConfig(
    {
      rules: {
        'schema/ban-drop-column': 'off',
        'security/sql-injection': 'critical',
      },
      overrides: [
        { paths: ['legacy/**'], rules: { 'schema/ban-drop-column': 'medium' } },
        {
          paths: ['legacy/generated/**'],
          rules: { 'schema/ban-drop-column': 'off' },
        },
      ],
    },
    '.github/architect.yml',
    ruleIds(),
  );

  it('turns rules off, changes severities, and later overrides win for their paths', () => {
    expect(problems).toEqual([]);
    const out = applyRuleSettings(
      [
        finding('schema/ban-drop-column', 'db/migrations/1.sql'),
        finding('schema/ban-drop-column', 'legacy/db/1.sql'),
        finding('schema/ban-drop-column', 'legacy/generated/1.sql'),
        finding('security/sql-injection', 'src/a.ts'),
        finding('security/model', 'src/a.ts', 'model'),
      ],
      config,
    );
    expect(out.map((f) => `${f.ruleId}:${f.path}:${f.severity}`)).toEqual([
      'schema/ban-drop-column:legacy/db/1.sql:medium',
      'security/sql-injection:src/a.ts:critical',
      'security/model:src/a.ts:high',
    ]);
    expect(
      ruleSettingResolver(config)('schema/ban-drop-column', 'legacy/db/1.sql'),
    ).toEqual({ setting: 'medium', origin: 'overrides[0]' });
  });

  it('reports unknown rule ids with their path and the nearest id, and keeps the rest of the file', () => {
    const parsed = parseConfig(
      {
        gate: { severity: 'critical' },
        rules: { 'schema/ban-drop-colum': 'off', 'ban-drop-table': 'low' },
        overrides: [
          { paths: ['a/**'], rules: { 'nope/nothing-like-it': 'off' } },
        ],
      },
      '.github/architect.yml',
      ruleIds(),
    );
    expect(parsed.config.gate.severity).toBe('critical');
    expect(parsed.config.rules).toEqual({});
    expect(parsed.problems).toEqual([
      {
        source: '.github/architect.yml',
        path: 'rules.schema/ban-drop-colum',
        message:
          'unknown rule id `schema/ban-drop-colum`; did you mean `schema/ban-drop-column`?',
      },
      {
        source: '.github/architect.yml',
        path: 'rules.ban-drop-table',
        message:
          'unknown rule id `ban-drop-table`; did you mean `schema/ban-drop-table`?',
      },
      {
        source: '.github/architect.yml',
        path: 'overrides.0.rules.nope/nothing-like-it',
        message: 'unknown rule id `nope/nothing-like-it`',
      },
    ]);
    expect(nearestId('security/sql-injektion', ruleIds())).toBe(
      'security/sql-injection',
    );
  });

  it('rejects settings that are neither off nor a severity', () => {
    const parsed = parseConfig(
      { rules: { 'schema/ban-drop-column': 'warn' } },
      '.github/architect.yml',
      ruleIds(),
    );
    expect(parsed.problems[0]!.path).toBe('rules.schema/ban-drop-column');
  });
});
