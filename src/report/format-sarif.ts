import type { Coverage } from '../core/coverage.ts';
import {
  LENS_TITLES,
  type Finding,
  type Lens,
  type Severity,
} from '../core/finding.ts';
import type { ReviewResult } from '../core/review.ts';
import type { RuleDescriptor } from '../core/rules.ts';
import { PRODUCT_HOMEPAGE, ruleLink } from './rule-docs.ts';
import { headRegion } from './location.ts';
import { stripControlCharacters } from './sanitize.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const TOOL_NAME = 'Backend Architect';
export const TOOL_INFORMATION_URI = PRODUCT_HOMEPAGE;
/** The key of our fingerprint in `partialFingerprints`; bump the version if the fingerprint changes meaning. */
export const FINGERPRINT_KEY = 'backendArchitect/v1';
const SRCROOT = '%SRCROOT%';

export type SarifLevel = 'error' | 'warning' | 'note';

const LEVELS: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub code scanning ranks security alerts by this CVSS-like score on the rule. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

export interface SarifOptions {
  /** Every deterministic rule the tool has, whether or not it fired. */
  rules: RuleDescriptor[];
  toolVersion: string;
}

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; 'security-severity'?: string };
}

interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string; uriBaseId: string };
    region: { startLine: number; endLine: number };
  };
}

/** A SARIF 2.1.0 log with one run, for code scanning uploads and other SARIF viewers. */
export function formatSarif(
  result: ReviewResult,
  options: SarifOptions,
): string {
  const all = [...result.findings, ...(result.suppressed ?? [])];
  const rules = ruleEntries(all, options.rules);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: options.toolVersion,
            informationUri: TOOL_INFORMATION_URI,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: notifications(result.coverage),
          },
        ],
        results: all.map((finding) => {
          const region = headRegion(finding);
          const related = (finding.related ?? []).map((r, index) => ({
            id: index + 1,
            ...location(r.path, r.line, r.line),
            message: { text: clean(r.note) || `${r.path}:${r.line}` },
          }));
          return {
            ruleId: finding.ruleId,
            ruleIndex: ruleIndex.get(finding.ruleId),
            level: LEVELS[finding.severity],
            message: { text: messageText(finding, region.note) },
            locations: [
              location(finding.path, region.startLine, region.endLine),
            ],
            ...(related.length > 0 ? { relatedLocations: related } : {}),
            partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
            // Dropped by the verification pass: kept in the log, marked so viewers hide it by default.
            ...(finding.suppressed
              ? {
                  suppressions: [
                    {
                      kind: 'external',
                      status: 'accepted',
                      justification:
                        clean(finding.suppressed.reason) ||
                        'dropped by verification',
                    },
                  ],
                }
              : {}),
            properties: {
              id: finding.id,
              lens: finding.lens,
              severity: finding.severity,
              source: finding.source,
              ...(finding.confidence === undefined
                ? {}
                : { confidence: finding.confidence }),
            },
          };
        }),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * The tool's rules, then an entry for every rule a result uses that the list lacks: the
 * `<lens>/model` rules of AI findings, and any analyzer rule without a descriptor.
 */
function ruleEntries(
  findings: readonly Finding[],
  descriptors: readonly RuleDescriptor[],
): SarifRule[] {
  const rules = descriptors.map((d) =>
    ruleEntry(d.id, d.lens, d.severity, d.title, true),
  );
  const known = new Set(rules.map((r) => r.id));
  const extra = new Map<string, SarifRule>();
  for (const finding of findings) {
    if (known.has(finding.ruleId) || extra.has(finding.ruleId)) continue;
    const model = finding.source === 'model';
    const description = model
      ? `${LENS_TITLES[finding.lens]} finding from the AI review`
      : finding.ruleId;
    extra.set(
      finding.ruleId,
      ruleEntry(
        finding.ruleId,
        finding.lens,
        model ? 'medium' : finding.severity,
        description,
        !model,
      ),
    );
  }
  return [
    ...rules,
    ...[...extra.values()].sort((a, b) => a.id.localeCompare(b.id)),
  ];
}

function ruleEntry(
  id: string,
  lens: Lens,
  severity: Severity,
  title: string,
  documented: boolean,
): SarifRule {
  return {
    id,
    shortDescription: { text: title },
    ...(documented ? { helpUri: ruleLink(id) } : {}),
    defaultConfiguration: { level: LEVELS[severity] },
    properties: {
      tags: [lens],
      ...(lens === 'security'
        ? { 'security-severity': SECURITY_SEVERITY[severity] }
        : {}),
    },
  };
}

function location(
  path: string,
  startLine: number,
  endLine: number,
): SarifLocation {
  return {
    physicalLocation: {
      artifactLocation: { uri: relativeUri(path), uriBaseId: SRCROOT },
      region: {
        startLine: Math.max(1, startLine),
        endLine: Math.max(1, startLine, endLine),
      },
    },
  };
}

/** A repository path as a relative URI reference: each segment percent-encoded, no leading slash. */
export function relativeUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/|\/)+/, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
}

function messageText(finding: Finding, note: string | undefined): string {
  const parts = [
    clean(finding.title),
    note,
    clean(finding.body),
    finding.fix ? `Fix: ${clean(finding.fix)}` : undefined,
  ];
  return parts
    .filter((p): p is string => p !== undefined && p !== '')
    .join('\n\n');
}

/** Coverage gaps as tool notifications, so a SARIF consumer can tell an incomplete review from a clean one. */
function notifications(coverage: Coverage): Array<{
  level: SarifLevel;
  message: { text: string };
  locations?: SarifLocation[];
}> {
  const list: Array<{
    level: SarifLevel;
    message: { text: string };
    locations?: SarifLocation[];
  }> = [];
  if (
    coverage.model.status === 'failed' ||
    coverage.model.status === 'partial'
  ) {
    const detail = coverage.model.detail
      ? `: ${clean(coverage.model.detail)}`
      : '';
    list.push({
      level: 'warning',
      message: {
        text: `AI review ${coverage.model.status === 'failed' ? 'failed' : 'incomplete'} (${coverage.model.chunksReviewed} of ${coverage.model.chunksTotal} chunks)${detail}`,
      },
    });
  }
  if (coverage.unlistedFiles > 0)
    list.push({
      level: 'warning',
      message: {
        text: `${coverage.unlistedFiles} changed files could not be listed and were not reviewed`,
      },
    });
  for (const file of coverage.files) {
    if (file.status !== 'not-reviewed' && file.status !== 'partial') continue;
    const what =
      file.status === 'partial' ? 'Reviewed only in part' : 'Not reviewed';
    list.push({
      level: 'warning',
      message: {
        text: `${what}${file.reasons.length > 0 ? `: ${file.reasons.map(clean).join('; ')}` : ''}`,
      },
      locations: [location(file.path, 1, 1)],
    });
  }
  for (const note of coverage.notes) {
    list.push({
      level: 'warning',
      message: { text: `${clean(note.source)}: ${clean(note.message)}` },
      ...(note.path
        ? { locations: [location(note.path, note.line ?? 1, note.line ?? 1)] }
        : {}),
    });
  }
  return list;
}

function clean(text: string): string {
  return stripControlCharacters(text).trim();
}
