import {
  type ChangedPath,
  type Revisions,
  revisionsInput,
} from '../../../support/revisions.ts';
import type { ContentReader } from '../../../../src/core/change-set.ts';
import type { Lens } from '../../../../src/core/finding.ts';
import type { AnalyzerInput } from '../../../../src/core/ports.ts';
import { compareSpecs } from '../../../../src/analyzers/openapi/compare.ts';
import type { ApiChange } from '../../../../src/analyzers/openapi/diff/change.ts';
import { loadSpec } from '../../../../src/analyzers/openapi/load/load-spec.ts';

export type { ChangedPath, Revisions };

/** Removes the common indentation of a template literal, so specs can be written inline. */
export function yaml(
  strings: TemplateStringsArray,
  ...values: unknown[]
): string {
  const text = strings.reduce(
    (out, part, i) => out + part + (i < values.length ? String(values[i]) : ''),
    '',
  );
  const lines = text.replace(/^\n/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(
    ...lines
      .filter((l) => l.trim() !== '')
      .map((l) => l.length - l.trimStart().length),
  );
  return `${lines.map((l) => l.slice(indent)).join('\n')}\n`;
}

/** An in-memory reader that records every path it was asked for. */
export function memoryReader(
  revisions: Revisions,
): ContentReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async read(revision, path) {
      reads.push(`${revision}:${path}`);
      return revisions[revision]?.[path];
    },
    async listHeadPaths() {
      return Object.keys(revisions.head ?? {});
    },
  };
}

/** The analyzer's input for a change set over the given revisions. */
export function analyzerInput(
  revisions: Revisions,
  changed: ChangedPath[],
  options: { lenses?: Lens[]; signal?: AbortSignal } = {},
): AnalyzerInput {
  return revisionsInput(revisions, changed, options);
}

export const TODAY = new Date('2026-06-15T12:00:00Z');

/** Loads two versions of a single-file spec and classifies the changes. */
export async function diffSpecs(
  base: string | undefined,
  head: string | undefined,
  now = TODAY,
): Promise<ApiChange[]> {
  const reader = memoryReader({
    base: base === undefined ? {} : { 'openapi.yaml': base },
    head: head === undefined ? {} : { 'openapi.yaml': head },
  });
  const before =
    base === undefined
      ? undefined
      : await loadSpec(reader, 'base', 'openapi.yaml');
  const after =
    head === undefined
      ? undefined
      : await loadSpec(reader, 'head', 'openapi.yaml');
  return compareSpecs(before, after, { now });
}

/** Change ids at warning level and above, sorted: what a reviewer sees. */
export function breaking(changes: ApiChange[]): string[] {
  return changes
    .filter((c) => c.level !== 'info')
    .map((c) => c.id)
    .sort();
}

export function ids(changes: ApiChange[]): string[] {
  return changes.map((c) => c.id).sort();
}
