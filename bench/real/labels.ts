import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * A label says what a finding is worth, keyed so that it survives small rule changes: the rule id,
 * the file, and optionally a window of head lines and words of the title. The first matching
 * label of a commit wins, so specific labels go before broad ones.
 */
export const LabelSchema = z
  .object({
    rule: z.string().min(1),
    /** The file, or a glob with `*` for a family of files. */
    path: z.string().min(1),
    /** Inclusive window of lines the finding's first line must fall in; absent: anywhere in the file. */
    lines: z
      .tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])
      .optional(),
    /** Words the finding's title must contain, compared case-insensitively with punctuation ignored. */
    title: z.string().min(1).optional(),
    /** `true`: a real risk worth a comment; `false`: a false alarm; `debatable` counts as false for strict precision. */
    verdict: z.enum(['true', 'false', 'debatable']),
    reason: z.string().min(1),
    /** The risk of this commit the finding catches, for recall. Only for true labels. */
    risk: z.string().min(1).optional(),
  })
  .strict()
  .refine((l) => l.risk === undefined || l.verdict === 'true', {
    message: 'only a true label can catch a risk',
  });
export type Label = z.infer<typeof LabelSchema>;

/** A real risk the commit carries, whether or not the product finds it today. */
export const RiskSchema = z
  .object({
    id: z.string().min(1),
    path: z.string().min(1),
    what: z.string().min(1),
  })
  .strict();
export type Risk = z.infer<typeof RiskSchema>;

export const CommitSchema = z
  .object({
    sha: z.string().regex(/^[0-9a-f]{40}$/, 'a full 40-character commit id'),
    subject: z.string().min(1),
    /** `clean`: nothing in it deserves a comment at medium or above. */
    kind: z.enum(['risky', 'clean']),
    /** What the commit is, for whoever labels it next. */
    note: z.string().optional(),
    labels: z.array(LabelSchema).default([]),
    risks: z.array(RiskSchema).default([]),
  })
  .strict()
  .refine((c) => c.kind === 'risky' || c.risks.length === 0, {
    message: 'a clean commit carries no risks',
  })
  .refine(
    (c) =>
      c.labels.every(
        (l) => l.risk === undefined || c.risks.some((r) => r.id === l.risk),
      ),
    {
      message: 'a label names a risk the commit does not list',
    },
  );
export type BenchCommit = z.infer<typeof CommitSchema>;

export const RepositorySchema = z
  .object({
    repo: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name'),
    ecosystems: z.array(z.string().min(1)).min(1),
    /** Settings the team keeps for the linters we wrap, and how they shaped the labels. */
    settings: z.string().optional(),
    commits: z.array(CommitSchema).min(1),
  })
  .strict();
export type BenchRepository = z.infer<typeof RepositorySchema>;

/** Every `*.json` file of the folder, one repository each, validated; a bad file stops the run with its name. */
export async function loadRepositories(
  dir: string,
): Promise<BenchRepository[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  const repositories: BenchRepository[] = [];
  for (const name of names) {
    const parsed = RepositorySchema.safeParse(
      JSON.parse(await readFile(join(dir, name), 'utf8')),
    );
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${name}: ${issue.path.join('.')}: ${issue.message}`);
    }
    repositories.push(parsed.data);
  }
  return repositories;
}
