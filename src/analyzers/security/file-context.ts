import type { Rule, SgNode } from '@ast-grep/napi';
import type { DraftFinding, Severity } from '../../core/finding.ts';
import type { RuleDescriptor } from '../../core/rules.ts';
import type { CodeLanguage } from '../code/languages.ts';
import {
  allCallsRule,
  readCall,
  type LanguageCall,
} from '../code/expressions/language-call.ts';
import { lineSpan } from '../code/expressions/nodes.ts';

/** What a check reports; the context turns it into a finding on the changed lines it touches. */
export interface Report {
  rule: RuleDescriptor;
  /** When this finding is more or less severe than the rule's default. */
  severity?: Severity;
  /** Candidate anchors, most specific first: the first one touching an added line is used. */
  at: SgNode | SgNode[];
  title: string;
  body: string;
  fix: string;
  /** Unchanged code the finding depends on. */
  related?: { node: SgNode; note: string };
}

/** One parsed file under review and the lines the change added to it. */
export class FileContext {
  readonly path: string;
  readonly language: CodeLanguage;
  readonly root: SgNode;
  readonly findings: DraftFinding[] = [];
  private readonly added: ReadonlySet<number>;
  private readonly seen = new Set<string>();
  private readonly patterns = new Map<string, RegExp>();
  private callSites?: LanguageCall[];

  constructor(
    path: string,
    language: CodeLanguage,
    root: SgNode,
    added: ReadonlySet<number>,
  ) {
    this.path = path;
    this.language = language;
    this.root = root;
    this.added = added;
  }

  /** Calls whose callee's last name is one of `names` (a regex alternation), optionally inside a node. */
  calls(names: string, within?: SgNode): LanguageCall[] {
    let pattern = this.patterns.get(names);
    if (!pattern)
      this.patterns.set(names, (pattern = new RegExp(`^(${names})$`)));
    const matching = this.allCalls().filter((site) => pattern.test(site.name));
    if (!within) return matching;
    const { start, end } = within.range();
    return matching.filter(
      (site) =>
        site.range.start.index >= start.index &&
        site.range.end.index <= end.index,
    );
  }

  /** One walk of the tree for every call; the checks filter by name. */
  private allCalls(): LanguageCall[] {
    if (!this.callSites) {
      this.callSites = [];
      for (const node of this.root.findAll({
        rule: allCallsRule(this.language),
      })) {
        const site = readCall(this.language, node);
        if (site) this.callSites.push(site);
      }
    }
    return this.callSites;
  }

  find(rule: Rule, within: SgNode = this.root): SgNode[] {
    return within.findAll({ rule });
  }

  /** The added lines inside a node, in order. */
  addedLinesIn(node: SgNode): number[] {
    const { start, end } = lineSpan(node);
    const lines: number[] = [];
    for (let line = start; line <= end; line++)
      if (this.added.has(line)) lines.push(line);
    return lines;
  }

  touches(node: SgNode): boolean {
    return this.addedLinesIn(node).length > 0;
  }

  /** Records a finding if one of its anchors overlaps an added line; one finding per rule and lines. */
  report(report: Report): void {
    const anchors = Array.isArray(report.at) ? report.at : [report.at];
    for (const anchor of anchors) {
      const lines = this.addedLinesIn(anchor);
      if (lines.length === 0) continue;
      const start = lines[0]!;
      const end = lines[lines.length - 1]!;
      const key = `${report.rule.id}:${start}:${end}`;
      if (this.seen.has(key)) return;
      this.seen.add(key);
      const related =
        report.related && !this.touches(report.related.node)
          ? [
              {
                path: this.path,
                line: lineSpan(report.related.node).start,
                note: report.related.note,
              },
            ]
          : undefined;
      this.findings.push({
        lens: report.rule.lens,
        severity: report.severity ?? report.rule.severity,
        ruleId: report.rule.id,
        source: 'analyzer',
        path: this.path,
        lines: { start, end, side: 'RIGHT' },
        title: report.title,
        body: report.body,
        fix: report.fix,
        ...(related ? { related } : {}),
      });
      return;
    }
  }
}
