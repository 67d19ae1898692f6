import {
  LENSES,
  LENS_TITLES,
  SEVERITIES,
  type Finding,
} from '../core/finding.ts';
import { SEVERITY_BADGES, SEVERITY_LABELS } from './severity.ts';

/** A markdown table of finding counts: one row per lens, one column per severity, and totals. */
export function findingsTable(findings: readonly Finding[]): string {
  const header = `| Lens | ${SEVERITIES.map((s) => `${SEVERITY_BADGES[s]} ${SEVERITY_LABELS[s]}`).join(' | ')} | Total |`;
  const align = `|:-----|${SEVERITIES.map(() => '----:').join('|')}|----:|`;
  const rows = LENSES.map((lens) => {
    const ofLens = findings.filter((f) => f.lens === lens);
    return `| ${LENS_TITLES[lens]} | ${SEVERITIES.map((s) => ofLens.filter((f) => f.severity === s).length).join(' | ')} | ${ofLens.length} |`;
  });
  const totals = `| **Total** | ${SEVERITIES.map((s) => `**${findings.filter((f) => f.severity === s).length}**`).join(' | ')} | **${findings.length}** |`;
  return [header, align, ...rows, totals].join('\n');
}
