import type { Evidence, Finding } from '../core/finding.ts';
import { inlineCode, sanitizeInline } from './sanitize.ts';

const MAX_SHOWN = 6;

export function evidenceLabel(e: Evidence): string {
  return `${e.path}:${e.line}${e.endLine && e.endLine !== e.line ? `-${e.endLine}` : ''}`;
}

/** "Looked at: path:line" under a model finding, and what the engine made of its support. */
export function evidenceMarkdown(finding: Finding): string {
  const lines: string[] = [];
  const evidence = finding.evidence ?? [];
  if (evidence.length > 0) {
    const shown = evidence
      .slice(0, MAX_SHOWN)
      .map((e) => inlineCode(evidenceLabel(e)));
    lines.push(
      `<sub>Looked at: ${shown.join(', ')}${evidence.length > MAX_SHOWN ? ` and ${evidence.length - MAX_SHOWN} more` : ''}</sub>`,
    );
  }
  if (finding.unsupported)
    lines.push(
      '<sub>Depends on code outside the diff that was not inspected; confidence lowered.</sub>',
    );
  if (
    finding.verification?.verdict === 'downgrade' &&
    finding.verification.from
  ) {
    lines.push(
      `<sub>Downgraded from ${finding.verification.from} on verification: ${sanitizeInline(finding.verification.reason, 300)}</sub>`,
    );
  }
  return lines.join('\n');
}
