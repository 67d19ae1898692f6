import type { ChangedFile } from '../../core/change-set.ts';
import type { DraftFinding, LineRange } from '../../core/finding.ts';
import type { SchemaChange } from './compare.ts';
import {
  GRAPHQL_OTHER_CHANGE,
  changeTypeTitle,
  fixFor,
  graphqlRuleId,
  isKnownChangeType,
  severityOf,
} from './rules.ts';
import type { BuiltSchema } from './schema.ts';

const WHAT_BREAKS: Record<SchemaChange['criticality'], string> = {
  BREAKING:
    'Existing client operations that use this become invalid and fail validation.',
  DANGEROUS:
    'Existing operations stay valid, but clients may get values or behaviour they do not expect.',
  NON_BREAKING: 'Existing operations keep working.',
};

/** One schema change as a finding on the element's line: the head line when it exists, else the removed base line, else its parent's. */
export function changeToFinding(
  change: SchemaChange,
  entry: {
    file: ChangedFile;
    before: BuiltSchema | undefined;
    after: BuiltSchema | undefined;
  },
): DraftFinding {
  const reason =
    change.reason && change.reason !== change.message
      ? ` ${change.reason}`
      : '';
  return {
    lens: 'api-contract',
    severity: severityOf(change.criticality),
    ruleId: isKnownChangeType(change.type)
      ? graphqlRuleId(change.type)
      : GRAPHQL_OTHER_CHANGE.id,
    source: 'analyzer',
    path: entry.file.path,
    lines: lineOf(change.path, entry.before, entry.after),
    title: change.message,
    body: `**What breaks for clients:** ${WHAT_BREAKS[change.criticality]}${reason}\n\ngraphql-inspector: \`${change.type}\` (${changeTypeTitle(change.type).toLowerCase()}), ${change.criticality.toLowerCase().replace('_', '-')}.`,
    fix: fixFor(change.type),
  };
}

/** Element paths of a change path, most specific first, without directive segments (`Query.a.@tag` → `Query.a`, `Query`). */
function elementPaths(path: string | undefined): string[] {
  if (path === undefined) return [''];
  const segments = path.split('.');
  const at = segments.findIndex((segment) => segment.startsWith('@'));
  // `@directive.arg` is a directive definition's argument; `Type.@directive` a directive used on Type.
  const element =
    at === 0 ? segments : at > 0 ? segments.slice(0, at) : segments;
  const paths: string[] = [];
  for (let i = element.length; i > 0; i--)
    paths.push(element.slice(0, i).join('.'));
  if (at !== 0) paths.push('');
  return paths;
}

function lineOf(
  path: string | undefined,
  before: BuiltSchema | undefined,
  after: BuiltSchema | undefined,
): LineRange | undefined {
  const [exact, ...parents] = elementPaths(path);
  const head = exact === undefined ? undefined : after?.lines.get(exact);
  if (head !== undefined) return { start: head, end: head, side: 'RIGHT' };
  const removed = exact === undefined ? undefined : before?.lines.get(exact);
  if (
    removed !== undefined &&
    (after === undefined || !after.lines.has(exact!))
  )
    return { start: removed, end: removed, side: 'LEFT' };
  for (const parent of parents) {
    const line = after?.lines.get(parent);
    if (line !== undefined) return { start: line, end: line, side: 'RIGHT' };
  }
  return undefined;
}
