import type { DraftFinding, LineRange, Severity } from '../../core/finding.ts';
import type { ApiChange } from './diff/change.ts';
import type { LoadedSpec } from './load/load-spec.ts';
import { reportedSeverity, ruleText } from './rules/texts.ts';

export interface SpecPair {
  /** The changed file as the pull request names it (head path). */
  path: string;
  /** Its base path when it was renamed. */
  previousPath?: string;
  base: LoadedSpec | undefined;
  head: LoadedSpec | undefined;
}

const MAX_LISTED = 6;

/**
 * Turns reportable changes into findings. A change in a shared component is classified once per
 * operation that uses it; those become one finding that names every affected operation.
 */
export function changesToFindings(
  changes: ApiChange[],
  pair: SpecPair,
  /** The team's severity for a check (oasdiff's `severity-levels`); null turns it off. */
  levels?: ReadonlyMap<string, Severity | null>,
): DraftFinding[] {
  const severityOf = (id: string): Severity | undefined => {
    const team = levels?.get(id);
    return team === null ? undefined : (team ?? reportedSeverity(id));
  };
  const groups = new Map<
    string,
    {
      change: ApiChange;
      lines: LineRange | undefined;
      path: string;
      operations: string[];
    }
  >();
  const specDeleted = pair.base !== undefined && pair.head === undefined;
  for (const change of changes) {
    const severity = severityOf(change.id);
    const text = ruleText(change.id);
    if (!severity || !text) continue;
    const { path, lines } = placeOf(change, pair, specDeleted);
    // One line, one rule, one finding: a shared schema reached from several operations (or along
    // several property paths) is one change to fix. With the whole spec deleted, one per rule.
    const key = specDeleted
      ? `${change.id}\u0000${path}`
      : `${change.id}\u0000${path}\u0000${lines?.side}:${lines?.start ?? text.title(change.facts)}`;
    let group = groups.get(key);
    if (!group)
      groups.set(key, (group = { change, lines, path, operations: [] }));
    else if (
      (change.facts.property ?? '').length <
      (group.change.facts.property ?? '').length
    )
      group.change = change;
    if (change.operation) {
      const name = `${change.operation.method.toUpperCase()} ${change.operation.path}`;
      if (!group.operations.includes(name)) group.operations.push(name);
    }
  }
  const replacements = replacedProperties([...groups.values()]);
  const findings: DraftFinding[] = [];
  for (const group of groups.values()) {
    const { change, lines, path, operations } = group;
    if (replacements.folded.has(group)) continue;
    const text = ruleText(change.id)!;
    const replaced = replacements.by.get(group);
    findings.push({
      lens: 'api-contract',
      severity: severityOf(change.id)!,
      ruleId: `api-contract/${change.id}`,
      source: 'analyzer',
      path,
      lines,
      title:
        specDeleted && operations.length > 1
          ? `${operations.length} endpoints removed with the spec file, without prior deprecation`
          : text.title(change.facts),
      body: `${text.body(change.facts)}${affected(operations)}${replaced ? ` It takes the place of \`${replaced.join('`, `')}\`, removed from the same object: clients that still send the old property are rejected for the missing new one.` : ''}`,
      fix: text.fix(change.facts),
    });
  }
  return findings;
}

interface Group {
  change: ApiChange;
  operations: string[];
}

const parentOf = (property: string): string =>
  property.includes('/') ? property.slice(0, property.lastIndexOf('/')) : '';
const leafOf = (property: string): string =>
  property.slice(property.lastIndexOf('/') + 1);

/**
 * A request property replaced by a new required one in the same object (`idpId` gives way to
 * `idpName`) is one break: the new required property is reported, naming the one it replaces, and
 * the removal is not reported on its own.
 */
function replacedProperties<G extends Group>(
  groups: G[],
): { folded: Set<G>; by: Map<G, string[]> } {
  const folded = new Set<G>();
  const by = new Map<G, string[]>();
  const key = (group: G) =>
    `${parentOf(group.change.facts.property ?? '')}\u0000${[...group.operations].sort().join(',')}`;
  const added = new Map<string, G>();
  for (const group of groups)
    if (
      group.change.id === 'new-required-request-property' &&
      group.change.facts.property
    )
      added.set(key(group), group);
  for (const group of groups) {
    if (
      group.change.id !== 'request-property-removed' ||
      !group.change.facts.property
    )
      continue;
    const replacement = added.get(key(group));
    if (!replacement) continue;
    folded.add(group);
    by.set(replacement, [
      ...(by.get(replacement) ?? []),
      leafOf(group.change.facts.property),
    ]);
  }
  return { folded, by };
}

function affected(operations: string[]): string {
  if (operations.length === 0) return '';
  const listed = operations
    .slice(0, MAX_LISTED)
    .map((op) => `\`${op}\``)
    .join(', ');
  const more =
    operations.length > MAX_LISTED
      ? ` and ${operations.length - MAX_LISTED} more`
      : '';
  return ` Affects ${listed}${more}.`;
}

/** The file and line a change shows on: head lines for what is there now, base lines for what was removed. */
function placeOf(
  change: ApiChange,
  pair: SpecPair,
  specDeleted: boolean,
): { path: string; lines: LineRange | undefined } {
  const spec = change.side === 'head' ? pair.head : pair.base;
  const location = change.location;
  const side = change.side === 'head' ? 'RIGHT' : 'LEFT';
  if (!spec || !location) return { path: pair.path, lines: undefined };
  const file = spec.files.get(location.path);
  const line = specDeleted
    ? file?.lineOf('/paths')
    : file?.lineOf(location.pointer);
  // A base-side location in the renamed file is shown on the file under its new name.
  const path =
    change.side === 'base' && location.path === (pair.previousPath ?? pair.path)
      ? pair.path
      : location.path;
  return {
    path,
    lines: line === undefined ? undefined : { start: line, end: line, side },
  };
}
