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
  /** For a composed schema: the changed files a finding may be anchored on (others fall back to `entry.file`, unanchored). */
  changedPaths?: ReadonlySet<string>,
): DraftFinding {
  const anchor = anchorOf(change.path, entry.before, entry.after);
  const elsewhere =
    anchor?.file !== undefined &&
    changedPaths !== undefined &&
    !changedPaths.has(anchor.file);
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
    path: elsewhere ? entry.file.path : (anchor?.file ?? entry.file.path),
    lines: elsewhere ? undefined : anchor?.lines,
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

interface Anchor {
  lines: LineRange;
  /** The file the line is in, for a schema composed of several files. */
  file: string | undefined;
}

function anchorOf(
  path: string | undefined,
  before: BuiltSchema | undefined,
  after: BuiltSchema | undefined,
): Anchor | undefined {
  const [exact, ...parents] = elementPaths(path);
  const at = (
    schema: BuiltSchema | undefined,
    key: string,
    side: LineRange['side'],
  ): Anchor | undefined => {
    const line = schema?.lines.get(key);
    return line === undefined
      ? undefined
      : {
          lines: { start: line, end: line, side },
          file: schema?.files?.get(key),
        };
  };
  if (exact !== undefined) {
    const head = at(after, exact, 'RIGHT');
    if (head) return head;
    if (after === undefined || !after.lines.has(exact)) {
      const removed = at(before, exact, 'LEFT');
      if (removed) return removed;
    }
  }
  for (const parent of parents) {
    const line = at(after, parent, 'RIGHT');
    if (line) return line;
  }
  return undefined;
}
