import type { ConfigProblem } from './parse-config.ts';
import type { Config } from './schema.ts';

/**
 * Rule ids in `rules:` and `overrides[].rules` that no rule has: each is a problem naming the
 * nearest real id, and is dropped, so the rest of the file still applies.
 */
export function checkRuleIds(
  config: Config,
  source: string,
  known: ReadonlySet<string>,
): { config: Config; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const keep = (rules: Config['rules'], prefix: string): Config['rules'] => {
    const kept: Config['rules'] = {};
    for (const [id, setting] of Object.entries(rules)) {
      if (known.has(id)) {
        kept[id] = setting;
        continue;
      }
      const nearest = nearestId(id, known);
      problems.push({
        source,
        path: `${prefix}.${id}`,
        message: `unknown rule id \`${id}\`${nearest ? `; did you mean \`${nearest}\`?` : ''}`,
      });
    }
    return kept;
  };
  const rules = keep(config.rules, 'rules');
  const overrides = config.overrides.map((override, i) => ({
    ...override,
    rules: keep(override.rules, `overrides.${i}.rules`),
  }));
  return problems.length === 0
    ? { config, problems }
    : { config: { ...config, rules, overrides }, problems };
}

/** The known id closest in edit distance, when it is close enough to be the one meant. */
export function nearestId(
  id: string,
  known: ReadonlySet<string>,
): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const bare = id.includes('/') ? undefined : id;
  for (const candidate of known) {
    // A rule named without its lens: `ban-drop-column` means `schema/ban-drop-column`.
    if (bare !== undefined && candidate.endsWith(`/${bare}`)) return candidate;
    const distance = editDistance(id, candidate);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best !== undefined &&
    bestDistance <= Math.max(3, Math.floor(id.length / 3))
    ? best
    : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(
        row[j]! + 1,
        row[j - 1]! + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      previous = current;
    }
  }
  return row[b.length]!;
}
