/**
 * The docs/rules pages of the protobuf rules, rendered from the rule table so they cannot drift.
 *
 *   node src/analyzers/protobuf/rule-pages.ts    # rewrites docs/rules/api-contract/protobuf-*.md
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rulePagePath } from '../../core/rules.ts';
import {
  BUF_RULES,
  PROTOBUF_GENERATED_EDITED,
  PROTOBUF_GENERATED_NOT_UPDATED,
  PROTOBUF_OTHER_BREAKING,
  bufSeverity,
  impactOf,
  protobufRuleId,
  rules,
  type BufRule,
} from './rules.ts';

const IMPACT_TEXT = {
  wire: 'Breaks the binary wire format (and with it JSON): old and new clients read the same bytes differently.',
  json: 'Breaks the JSON encoding (Connect and gRPC-JSON clients, grpc-gateway, stored JSON); the binary encoding still decodes.',
  code: 'Breaks code generated from the file: clients regenerated from the new definition no longer compile, or behave differently.',
};

function bufRulePage(rule: BufRule): string {
  const isDefault = rule.categories.includes('FILE');
  return `# ${protobufRuleId(rule.id)}

**Severity:** ${bufSeverity(rule)} · **Lens:** api-contract · **buf categories:** ${rule.categories.join(', ')}${isDefault ? ' · on by default (FILE)' : ' · off by default'}

## What it detects

${rule.title}, between the base and the head of a pull request, as buf's \`${rule.id}\` rule reports it. The check runs the bundled buf on both revisions of the module or workspace that holds the changed \`.proto\` file, with the repository's own \`buf.yaml\` (its \`breaking.use\`, \`except\` and \`ignore\`); without a \`buf.yaml\` buf's default category, FILE, applies.${isDefault ? '' : ` This rule is not in FILE: it runs when the repository's \`buf.yaml\` enables ${rule.categories.map((c) => `\`${c}\``).join(' or ')} or names the rule.`}

## What breaks for clients

${IMPACT_TEXT[impactOf(rule)]} Here: ${rule.breaks}.

## Fix

${rule.fix}

To accept the change on purpose (a package still in development, say), exclude the rule or the path in \`buf.yaml\` (\`breaking.except\`, \`breaking.ignore\`, \`breaking.ignore_only\`), or waive the finding with \`/architect ignore <id> <reason>\`.

## Reference

buf's breaking rules and categories: https://buf.build/docs/breaking/rules/
`;
}

const page = (id: string, severity: string, body: string) =>
  `# ${id}\n\n**Severity:** ${severity} · **Lens:** api-contract\n\n${body}`;

const OTHER_PAGES: Record<string, string> = {
  [PROTOBUF_OTHER_BREAKING.id]: page(
    PROTOBUF_OTHER_BREAKING.id,
    PROTOBUF_OTHER_BREAKING.severity,
    `## What it detects

A breaking change buf reported under a rule id this product does not list: a rule of a buf check plugin or policy the repository's \`buf.yaml\` configures. The finding carries buf's message and the rule, plugin and policy names.

## What breaks for clients

Whatever the plugin's rule guards; see its documentation.

## Fix

Follow the plugin's guidance, or exclude the rule in \`buf.yaml\` if the repository does not want it.
`,
  ),
  [PROTOBUF_GENERATED_EDITED.id]: page(
    PROTOBUF_GENERATED_EDITED.id,
    PROTOBUF_GENERATED_EDITED.severity,
    `## What it detects

A changed file of generated protobuf code (\`*.pb.go\`, \`*_grpc.pb.go\`, \`*.connect.go\`, \`*_pb2.py\`, \`*_pb2_grpc.py\`, \`*_pb.ts\`/\`*.pb.ts\`/\`*_pb.js\`, \`*.pb.cc\`/\`*.pb.h\`, or a file under a \`gen/\` folder) whose header says a protoc plugin generated it, while the \`.proto\` file it names (\`// source: …\`, \`@generated from file …\`) did not change in the pull request. Reported on the first changed line.

Not reported when the file is new, when its generator version line changed (a regeneration with a newer plugin), or when a \`buf.gen.yaml\` changed, or when any \`.proto\` file in the pull request changed (a module is regenerated as a whole, so generated files of untouched services change too). Generated files are outside the default review paths: the check runs when the pull request also changes files that are in scope.

## Why it matters

A hand edit is overwritten the next time the code is generated, and until then this service's code no longer matches the contract every other client is generated from.

## Fix

Make the change in the \`.proto\` file and regenerate, or revert the edit.
`,
  ),
  [PROTOBUF_GENERATED_NOT_UPDATED.id]: page(
    PROTOBUF_GENERATED_NOT_UPDATED.id,
    PROTOBUF_GENERATED_NOT_UPDATED.severity,
    `## What it detects

A modified \`.proto\` file whose generated code is committed in the repository (files named after it, such as \`orders.pb.go\` or \`orders_pb2.py\`, in a folder named like its package folder) while none of that generated code changed in the pull request. Reported on the file; low severity, so it appears in the check run and the summary, not as an inline comment.

## Why it matters

Everything built from the committed generated code still has the old API; the definition and the code drift apart until someone regenerates.

## Fix

Run the generator (for example \`buf generate\`) and commit its output with the change.
`,
  ),
};

/** The page of a protobuf rule id (`api-contract/protobuf-...`). */
export function renderProtobufRulePage(id: string): string {
  const rule = BUF_RULES.find((r) => protobufRuleId(r.id) === id);
  if (rule) return bufRulePage(rule);
  const other = OTHER_PAGES[id];
  if (!other) throw new Error(`no protobuf rule ${id}`);
  return other;
}

export const PROTOBUF_PAGES_DIR = 'docs/rules/api-contract';
/** The file-name prefix of this analyzer's pages in that folder. */
export const PROTOBUF_PAGE_PREFIX = 'protobuf-';

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const dir = join(root, PROTOBUF_PAGES_DIR);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir))
    if (name.startsWith(PROTOBUF_PAGE_PREFIX)) rmSync(join(dir, name));
  for (const rule of rules)
    writeFileSync(
      join(root, rulePagePath(rule.id)),
      renderProtobufRulePage(rule.id),
    );
  console.log(
    `wrote ${rules.length} pages to ${PROTOBUF_PAGES_DIR}/${PROTOBUF_PAGE_PREFIX}*.md`,
  );
}
