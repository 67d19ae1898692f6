import type { ConfigProblem } from '../config/parse-config.ts';
import { bulletList } from './limit.ts';
import { inlineCode, sanitizeInline } from './sanitize.ts';

/** Configuration problems, grouped by file, saying that the defaults were used instead. */
export function configProblemsMarkdown(
  problems: readonly ConfigProblem[],
  heading = '### Configuration problems',
): string {
  if (problems.length === 0) return '';
  const bySource = new Map<string, ConfigProblem[]>();
  for (const problem of problems)
    bySource.set(problem.source, [
      ...(bySource.get(problem.source) ?? []),
      problem,
    ]);
  const blocks = [heading];
  for (const [source, list] of bySource) {
    blocks.push(
      `${inlineCode(source, 300)} is not valid, so this review used the default configuration instead:`,
    );
    blocks.push(
      bulletList(
        list.map(
          (p) =>
            `${inlineCode(p.path === '' ? '(whole file)' : p.path, 200)}: ${sanitizeInline(p.message, 500)}`,
        ),
        30,
        6000,
      ),
    );
  }
  return blocks.join('\n\n');
}
