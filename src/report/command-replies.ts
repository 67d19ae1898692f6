import { LENSES } from '../core/finding.ts';
import type { ConfigProblem } from '../config/parse-config.ts';
import { configProblemsMarkdown } from './config-problems.ts';
import { inlineCode, sanitizeInline, sanitizeMarkdown } from './sanitize.ts';

/** What each command does, for `/architect help` and for commands the parser could not use. */
export function helpText(problem?: string): string {
  const lines = [
    ...(problem ? [`⚠️ ${sanitizeInline(problem, 300)}`, ''] : []),
    '**Backend Architect commands** (comment on the pull request):',
    '',
    '| Command | What it does | Who |',
    '|:--|:--|:--|',
    '| `/architect review` | Review the whole pull request again now, AI review included. | write access |',
    `| \`/architect review <lens>\` | The same, through one lens: ${LENSES.map((l) => `\`${l}\``).join(', ')}. | write access |`,
    "| `/architect explain` | Reply with it in a finding's thread for a deeper explanation with more of the surrounding code. | write access |",
    '| `/architect ignore <finding-id> <reason>` | Waive a finding: it stays listed but no longer counts toward the gate. | write access |',
    '| `/architect unignore <finding-id>` | Withdraw a waiver. | write access |',
    '| `/architect config` | Show the effective configuration and where each value comes from. | anyone |',
    '| `/architect help` | Show this help. | anyone |',
    '',
    'The finding id is the `ID` at the foot of each finding.',
  ];
  return lines.join('\n');
}

/** Replies start by naming who asked, so a busy thread stays readable. Logins are letters, digits and hyphens. */
export function addressed(login: string, text: string): string {
  return `@${login.replace(/[^A-Za-z0-9-]/g, '')} ${text}`;
}

export function permissionDenied(command: string): string {
  return `only people with write access to this repository can run ${inlineCode(`/architect ${command}`)}: it spends the AI budget or changes the merge gate. A maintainer can run it for you.`;
}

export interface ConfigRow {
  key: string;
  value: unknown;
  origin: string;
}

/** The effective configuration as a table, with where each value came from. */
export function configTable(
  rows: readonly ConfigRow[],
  problems: readonly ConfigProblem[],
): string {
  const blocks: string[] = [];
  const problemText = configProblemsMarkdown(
    problems,
    '**Configuration problems**',
  );
  if (problemText !== '') blocks.push(problemText);
  // GitHub splits table cells at every unescaped pipe, code spans included.
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const table = [
    '| Setting | Value | From |',
    '|:--|:--|:--|',
    ...rows.map(
      (r) =>
        `| ${cell(inlineCode(r.key, 80))} | ${cell(inlineCode(valueText(r.value), 200))} | ${cell(sanitizeInline(r.origin, 200))} |`,
    ),
  ];
  blocks.push(table.join('\n'));
  return blocks.join('\n\n');
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value) ?? String(value);
}

/** A model's explanation of a finding; everything it wrote is untrusted and sanitized. */
export function explanationText(input: {
  id: string;
  title: string;
  body?: string;
  fix?: string;
  summary?: string;
  stillReported: boolean;
  usage: string;
}): string {
  const blocks = [
    `**Explanation of ${inlineCode(input.id)}** · ${sanitizeInline(input.title, 200)}`,
  ];
  if (!input.stillReported) {
    blocks.push(
      'Looking again with more of the surrounding code, the AI review no longer reports this problem. Consider waiving it with `/architect ignore` if you agree.',
    );
  }
  if (input.body) blocks.push(sanitizeMarkdown(input.body, 6000));
  if (input.fix) blocks.push(`**Fix**\n\n${sanitizeMarkdown(input.fix, 4000)}`);
  if (input.summary) blocks.push(sanitizeMarkdown(input.summary, 1500));
  blocks.push(`<sub>${sanitizeInline(input.usage, 300)}</sub>`);
  return blocks.join('\n\n');
}
