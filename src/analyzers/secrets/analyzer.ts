import picomatch from 'picomatch';
import type { ChangedFile } from '../../core/change-set.ts';
import { mapLimit } from '../../core/concurrency.ts';
import type { CoverageNote } from '../../core/coverage.ts';
import {
  addedLines,
  parsePatch,
  type Hunk,
} from '../../core/diff/parse-patch.ts';
import type { DraftFinding } from '../../core/finding.ts';
import type {
  Analyzer,
  AnalyzerInput,
  AnalyzerOutput,
} from '../../core/ports.ts';
import { headTextFromHunks } from './head-text.ts';
import { describeSecret } from './mask.ts';
import { secretLabel } from './providers.ts';
import { HARDCODED_SECRET } from './rules.ts';
import { scanSecrets, type SecretHit } from './secretlint-scan.ts';
import { messageOf } from '../../core/error-message.ts';
import { loadSecretlintIgnore } from './secretlint-ignore.ts';
import {
  loadSecretlintConfig,
  type SecretlintSettings,
} from './secretlint-config.ts';

const NAME = 'secrets';
/** Content reads may be API calls; keep a few in flight. */
const READ_CONCURRENCY = 8;

/**
 * Hard-coded credentials in any changed file, in scope or not: a key pushed in a README or a
 * `.env` is as leaked as one in server code. Only matches touching added lines are reported.
 */
export function createSecretsAnalyzer(): Analyzer {
  return { name: NAME, lenses: ['security'], analyze };
}

async function analyze(input: AnalyzerInput): Promise<AnalyzerOutput> {
  const findings: DraftFinding[] = [];
  const notes: CoverageNote[] = [];
  if (!input.lenses.has('security')) return { findings, notes };

  const scopedHunks = new Map(
    input.files.map((scoped) => [scoped.file.path, scoped.hunks]),
  );
  // Globs a team excluded on purpose (e.g. a directory of fake test credentials) are respected.
  const excluded =
    input.config.paths.exclude.length > 0
      ? picomatch(input.config.paths.exclude, { dot: true })
      : () => false;
  // So is the team's own .secretlintignore, read at the base.
  const ignore = await loadSecretlintIgnore(
    input.changeSet.contents,
    input.signal,
  );
  notes.push(...ignore.notes);
  // And its .secretlintrc: rule options, allowed values and rules turned off.
  const team = await loadSecretlintConfig(input.changeSet, input.signal);
  notes.push(...team.notes);
  const files = input.changeSet.files.filter(
    (file) =>
      file.status !== 'removed' &&
      !excluded(file.path) &&
      !ignore.ignored(file.path),
  );

  await mapLimit(
    files,
    READ_CONCURRENCY,
    async (file) => {
      try {
        findings.push(
          ...(await scanFile(
            input,
            file,
            scopedHunks.get(file.path),
            team.settings,
          )),
        );
      } catch (error) {
        input.signal.throwIfAborted();
        notes.push({
          source: NAME,
          path: file.path,
          message: `could not analyse: ${messageOf(error)}`,
        });
      }
    },
    input.signal,
  );
  findings.sort(
    (a, b) =>
      a.path.localeCompare(b.path) ||
      (a.lines?.start ?? 0) - (b.lines?.start ?? 0),
  );
  return { findings, notes };
}

async function scanFile(
  input: AnalyzerInput,
  file: ChangedFile,
  scopedHunks: Hunk[] | undefined,
  settings: SecretlintSettings | undefined,
): Promise<DraftFinding[]> {
  // A new file GitHub shows no patch for (too large) is added in full; any other file without a
  // patch (a pure rename, a binary) has no added lines to report on.
  const addedInFull = !file.patch && file.status === 'added';
  if (!file.patch && !addedInFull) return [];
  const hunks = scopedHunks ?? parsePatch(file.patch);
  const added = addedInFull ? undefined : addedLines(hunks);
  if (added?.size === 0) return [];
  const text = await textToScan(input, file, hunks, scopedHunks !== undefined);
  if (text === undefined) return [];

  const findings: DraftFinding[] = [];
  for (const group of groupOverlapping(
    await scanSecrets(file.path, text, { settings }),
  )) {
    const start = group[0]!.startLine;
    const end = Math.max(...group.map((hit) => hit.endLine));
    const touched: number[] = [];
    for (let line = start; line <= end; line++)
      if (!added || added.has(line)) touched.push(line);
    if (touched.length === 0) continue;
    findings.push(
      secretFinding(
        file.path,
        group,
        text,
        touched[0]!,
        touched[touched.length - 1]!,
      ),
    );
  }
  return findings;
}

/**
 * In-scope files are read whole (other analyzers read them too). Out-of-scope files are scanned
 * through their diff: a secret only counts on an added line, a wholly new file is wholly in its
 * patch, and reading every changed README or asset would cost a request each.
 */
async function textToScan(
  input: AnalyzerInput,
  file: ChangedFile,
  hunks: Hunk[],
  inScope: boolean,
): Promise<string | undefined> {
  if (inScope || !file.patch) {
    const content = await input.changeSet.contents.read(
      'head',
      file.path,
      input.signal,
    );
    if (content !== undefined) return content;
    if (!file.patch) return undefined;
  }
  return headTextFromHunks(hunks);
}

/** Two rules often match the same value (an npm token inside a URL with a password); report it once. */
function groupOverlapping(hits: SecretHit[]): SecretHit[][] {
  const sorted = [...hits].sort(
    (a, b) => a.startLine - b.startLine || a.start - b.start,
  );
  const groups: SecretHit[][] = [];
  let endLine = -1;
  for (const hit of sorted) {
    const last = groups[groups.length - 1];
    if (last && hit.startLine <= endLine) last.push(hit);
    else groups.push([hit]);
    endLine = Math.max(endLine, hit.endLine);
  }
  return groups;
}

function secretFinding(
  path: string,
  group: SecretHit[],
  text: string,
  start: number,
  end: number,
): DraftFinding {
  const first = group[0]!;
  const rulesText = [
    ...new Set(group.map((hit) => `\`${hit.rule}\` (${hit.messageId})`)),
  ].join(', ');
  const value = text.slice(first.start, first.end);
  const what = value.includes('\n')
    ? `a ${first.endLine - first.startLine + 1}-line block`
    : describeSecret(value);
  const where = start === end ? `Line ${start}` : `Lines ${start}–${end}`;
  return {
    lens: HARDCODED_SECRET.lens,
    severity: HARDCODED_SECRET.severity,
    ruleId: HARDCODED_SECRET.id,
    source: 'analyzer',
    path,
    lines: { start, end, side: 'RIGHT' },
    title: `${secretLabel(first.rule)} committed to the repository`,
    body:
      `${where} ${start === end ? 'adds' : 'add'} a value that secretlint ${group.length > 1 ? 'rules' : 'rule'} ${rulesText} ${group.length > 1 ? 'report' : 'reports'} as a credential (${what}). ` +
      'Everyone who can read this repository, its forks and clones, and any CI cache of it can use the credential, and deleting it in a later commit does not remove it from git history.',
    fix:
      'Revoke and rotate the credential at its provider first, then load it at runtime from the environment or a secret manager and keep the value out of the repository. ' +
      'If it is a deliberate fake for tests, make it obviously fake or mark the line with a `secretlint-disable-line` comment.',
  };
}
