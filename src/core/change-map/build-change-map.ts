import type { DiffLine, Hunk } from '../diff/parse-patch.ts';
import type { DraftFinding } from '../finding.ts';
import type { ScopedFile } from '../ports.ts';
import {
  emptyChangeMap,
  type ChangeFact,
  type ChangeMap,
  type OutboundCall,
} from './change-map.ts';

const MAX_PER_SECTION = 25;
const MAX_PER_MIGRATION = 15;

const MIGRATION_PATH =
  /(?:^|\/)(?:migrations?|migrate|alembic|versions|db\/migrate|schema)(?:\/|$)|\.sql$|schema\.prisma$/i;
const OPENAPI_PATH = /(?:openapi|swagger)[^/]*\.(?:ya?ml|json)$/i;

/** A line of the diff with the number people would look it up by. */
interface Line {
  text: string;
  line: number;
}

function linesOf(hunks: Hunk[], kind: DiffLine['kind']): Line[] {
  const out: Line[] = [];
  for (const hunk of hunks)
    for (const l of hunk.lines)
      if (l.kind === kind)
        out.push({
          text: l.text,
          line: (kind === 'del' ? l.oldLine : l.newLine) ?? 0,
        });
  return out;
}

/** The backend change map of a change set: data model, API contract, outbound calls, configuration, messaging. */
export function buildChangeMap(
  files: readonly ScopedFile[],
  analyzerFindings: readonly DraftFinding[],
): ChangeMap {
  const map = emptyChangeMap();
  for (const { file, hunks } of files) {
    const added = linesOf(hunks, 'add');
    const removed = linesOf(hunks, 'del');
    if (MIGRATION_PATH.test(file.path)) {
      const changes = schemaChanges(added, removed);
      if (file.status === 'removed') changes.unshift('migration file deleted');
      if (changes.length > 0)
        map.dataModel.push({
          path: file.path,
          changes: changes.slice(0, MAX_PER_MIGRATION),
        });
    }
    if (OPENAPI_PATH.test(file.path)) {
      for (const l of added)
        for (const p of openapiPaths(l.text))
          map.api.push({
            text: `adds path ${p} to the API description`,
            path: file.path,
            line: l.line,
          });
      for (const l of removed)
        for (const p of openapiPaths(l.text))
          map.api.push({
            text: `removes path ${p} from the API description`,
            path: file.path,
          });
    } else {
      for (const l of added)
        for (const r of routes(l.text))
          map.api.push({
            text: `adds route ${r}`,
            path: file.path,
            line: l.line,
          });
      for (const l of removed)
        for (const r of routes(l.text))
          map.api.push({ text: `removes route ${r}`, path: file.path });
    }
    map.outboundCalls.push(...outboundCalls(file.path, hunks));
    for (const l of added) {
      for (const name of envReads(l.text))
        map.config.push({ text: name, path: file.path, line: l.line });
      for (const what of messaging(l.text))
        map.messaging.push({ text: what, path: file.path, line: l.line });
    }
  }
  // The contract analyzers read the API descriptions properly; their findings are facts about the contract.
  for (const f of analyzerFindings)
    if (f.lens === 'api-contract')
      map.api.push({
        text: f.title.replace(/\s+/g, ' ').slice(0, 200),
        path: f.path,
        ...(f.lines ? { line: f.lines.start } : {}),
      });
  map.api = dedupe(map.api).slice(0, MAX_PER_SECTION);
  map.config = dedupe(map.config, (f) => f.text).slice(0, MAX_PER_SECTION);
  map.messaging = dedupe(map.messaging).slice(0, MAX_PER_SECTION);
  map.outboundCalls = map.outboundCalls.slice(0, MAX_PER_SECTION);
  return map;
}

function dedupe<T extends ChangeFact>(
  facts: T[],
  key: (f: T) => string = (f) => `${f.text}\u0000${f.path}`,
): T[] {
  const seen = new Set<string>();
  return facts.filter((f) =>
    seen.has(key(f)) ? false : (seen.add(key(f)), true),
  );
}

const ID = String.raw`[\`"\[]?([A-Za-z_][\w.]*)[\`"\]]?`;
const SQL_RULES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [
    new RegExp(
      String.raw`\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?${ID}`,
      'i',
    ),
    (m) => `creates table ${m[1]}`,
  ],
  [
    new RegExp(String.raw`\bdrop\s+table\s+(?:if\s+exists\s+)?${ID}`, 'i'),
    (m) => `drops table ${m[1]}`,
  ],
  [
    new RegExp(
      String.raw`\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${ID}\s+rename\s+to\s+${ID}`,
      'i',
    ),
    (m) => `renames table ${m[1]} to ${m[2]}`,
  ],
  [
    new RegExp(
      String.raw`\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${ID}\s+add\s+(?:column\s+)?(?:if\s+not\s+exists\s+)?(?!constraint\b)${ID}`,
      'i',
    ),
    (m) => `adds column ${m[1]}.${m[2]}`,
  ],
  [
    new RegExp(
      String.raw`\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${ID}\s+drop\s+(?:column\s+)?(?:if\s+exists\s+)?(?!constraint\b)${ID}`,
      'i',
    ),
    (m) => `drops column ${m[1]}.${m[2]}`,
  ],
  [
    new RegExp(
      String.raw`\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${ID}\s+rename\s+(?:column\s+)?${ID}\s+to\s+${ID}`,
      'i',
    ),
    (m) => `renames column ${m[1]}.${m[2]} to ${m[3]}`,
  ],
  [
    new RegExp(
      String.raw`\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${ID}\s+alter\s+(?:column\s+)?${ID}\s+(?:set\s+data\s+)?type\s+([\w()]+)`,
      'i',
    ),
    (m) => `changes the type of ${m[1]}.${m[2]} to ${m[3]}`,
  ],
  [
    new RegExp(
      String.raw`\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${ID}\s+alter\s+(?:column\s+)?${ID}\s+set\s+not\s+null`,
      'i',
    ),
    (m) => `makes ${m[1]}.${m[2]} NOT NULL`,
  ],
  [
    new RegExp(
      String.raw`\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${ID}\s+add\s+constraint\s+${ID}\s+(\w+(?:\s+key)?)`,
      'i',
    ),
    (m) => `adds ${m[3]!.toLowerCase()} constraint ${m[2]} on ${m[1]}`,
  ],
  [
    new RegExp(
      String.raw`\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?${ID}\s+drop\s+constraint\s+(?:if\s+exists\s+)?${ID}`,
      'i',
    ),
    (m) => `drops constraint ${m[2]} on ${m[1]}`,
  ],
  [
    new RegExp(
      String.raw`\bcreate\s+(unique\s+)?index\s+(concurrently\s+)?(?:if\s+not\s+exists\s+)?${ID}\s+on\s+(?:only\s+)?${ID}`,
      'i',
    ),
    (m) =>
      `creates ${m[1] ? 'unique ' : ''}index ${m[3]} on ${m[4]}${m[2] ? ' (concurrently)' : ''}`,
  ],
  [
    new RegExp(
      String.raw`\bdrop\s+index\s+(concurrently\s+)?(?:if\s+exists\s+)?${ID}`,
      'i',
    ),
    (m) => `drops index ${m[2]}`,
  ],
];

const ORM_RULES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  // Alembic
  [/\bop\.create_table\(\s*['"](\w+)['"]/, (m) => `creates table ${m[1]}`],
  [/\bop\.drop_table\(\s*['"](\w+)['"]/, (m) => `drops table ${m[1]}`],
  [
    /\bop\.add_column\(\s*['"](\w+)['"]\s*,\s*sa\.Column\(\s*['"](\w+)['"]/,
    (m) => `adds column ${m[1]}.${m[2]}`,
  ],
  [
    /\bop\.drop_column\(\s*['"](\w+)['"]\s*,\s*['"](\w+)['"]/,
    (m) => `drops column ${m[1]}.${m[2]}`,
  ],
  [
    /\bop\.alter_column\(\s*['"](\w+)['"]\s*,\s*['"](\w+)['"]/,
    (m) => `alters column ${m[1]}.${m[2]}`,
  ],
  [
    /\bop\.create_index\(\s*(?:op\.f\()?['"](\w+)['"]\)?\s*,\s*['"](\w+)['"]/,
    (m) => `creates index ${m[1]} on ${m[2]}`,
  ],
  [
    /\bop\.create_(?:foreign_key|unique_constraint|check_constraint)\(\s*['"](\w+)['"]/,
    (m) => `adds constraint ${m[1]}`,
  ],
  // Rails
  [/\bcreate_table\s*\(?\s*:(\w+)/, (m) => `creates table ${m[1]}`],
  [/\bdrop_table\s*\(?\s*:(\w+)/, (m) => `drops table ${m[1]}`],
  [
    /\badd_column\s*\(?\s*:(\w+)\s*,\s*:(\w+)/,
    (m) => `adds column ${m[1]}.${m[2]}`,
  ],
  [
    /\bremove_column\s*\(?\s*:(\w+)\s*,\s*:(\w+)/,
    (m) => `drops column ${m[1]}.${m[2]}`,
  ],
  [
    /\brename_column\s*\(?\s*:(\w+)\s*,\s*:(\w+)\s*,\s*:(\w+)/,
    (m) => `renames column ${m[1]}.${m[2]} to ${m[3]}`,
  ],
  [
    /\bchange_column\s*\(?\s*:(\w+)\s*,\s*:(\w+)/,
    (m) => `changes column ${m[1]}.${m[2]}`,
  ],
  [
    /\badd_index\s*\(?\s*:(\w+)\s*,\s*\[?:?(\w+)/,
    (m) => `creates index on ${m[1]} (${m[2]})`,
  ],
  [
    /\badd_foreign_key\s*\(?\s*:(\w+)\s*,\s*:(\w+)/,
    (m) => `adds foreign key ${m[1]} → ${m[2]}`,
  ],
  // Django
  [
    /\bmigrations\.CreateModel\(\s*name=['"](\w+)['"]/,
    (m) => `creates model ${m[1]}`,
  ],
  [
    /\bmigrations\.DeleteModel\(\s*name=['"](\w+)['"]/,
    (m) => `deletes model ${m[1]}`,
  ],
  [
    /\bmigrations\.AddField\(\s*model_name=['"](\w+)['"]\s*,\s*name=['"](\w+)['"]/,
    (m) => `adds field ${m[1]}.${m[2]}`,
  ],
  [
    /\bmigrations\.RemoveField\(\s*model_name=['"](\w+)['"]\s*,\s*name=['"](\w+)['"]/,
    (m) => `removes field ${m[1]}.${m[2]}`,
  ],
  [
    /\bmigrations\.AlterField\(\s*model_name=['"](\w+)['"]\s*,\s*name=['"](\w+)['"]/,
    (m) => `alters field ${m[1]}.${m[2]}`,
  ],
  [
    /\bmigrations\.AddIndex\(\s*model_name=['"](\w+)['"]/,
    (m) => `adds an index on ${m[1]}`,
  ],
  // Knex and similar builders
  [/\.createTable\(\s*['"](\w+)['"]/, (m) => `creates table ${m[1]}`],
  [/\.dropTable(?:IfExists)?\(\s*['"](\w+)['"]/, (m) => `drops table ${m[1]}`],
  [/\.dropColumns?\(\s*['"](\w+)['"]/, (m) => `drops column ${m[1]}`],
  [
    /\.renameColumn\(\s*['"](\w+)['"]\s*,\s*['"](\w+)['"]/,
    (m) => `renames column ${m[1]} to ${m[2]}`,
  ],
];

/** Statements of the added lines, SQL joined across lines so multi-line DDL is read whole. */
function schemaChanges(added: Line[], removed: Line[]): string[] {
  const out: string[] = [];
  const sql = added.map((l) => l.text.replace(/--.*$/, '')).join('\n');
  for (const statement of sql.split(';')) {
    const flat = statement.replace(/\s+/g, ' ');
    // An ALTER TABLE can carry several actions separated by commas.
    const table =
      /\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?([`"[]?[A-Za-z_][\w.]*[`"\]]?)/i.exec(
        flat,
      )?.[1];
    const parts = table
      ? flat
          .split(/,(?![^(]*\))/)
          .map((p, i) => (i === 0 ? p : `alter table ${table} ${p}`))
      : [flat];
    for (const part of parts)
      for (const [pattern, say] of SQL_RULES) {
        const m = part.match(pattern);
        if (m) {
          out.push(say(m));
          break;
        }
      }
  }
  for (const l of added)
    for (const [pattern, say] of ORM_RULES) {
      const m = l.text.match(pattern);
      if (m) out.push(say(m));
    }
  for (const l of removed) {
    const m = /^\s*model\s+(\w+)\s*\{/.exec(l.text);
    if (m) out.push(`removes Prisma model ${m[1]}`);
  }
  for (const l of added) {
    const m = /^\s*model\s+(\w+)\s*\{/.exec(l.text);
    if (m) out.push(`adds Prisma model ${m[1]}`);
  }
  return [...new Set(out)];
}

function openapiPaths(text: string): string[] {
  const yaml = /^ {2}(\/[^\s:]*):\s*$/.exec(text);
  if (yaml) return [yaml[1]!];
  const json = /^\s{4}"(\/[^"]*)"\s*:\s*\{/.exec(text);
  return json ? [json[1]!] : [];
}

const ROUTE_RULES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [
    /\b(?:\w*(?:app|router|server|api|routes?)|fastify)\.(get|post|put|patch|delete|head|options)\(\s*['"`]([^'"`]+)['"`]/i,
    (m) => `${m[1]!.toUpperCase()} ${m[2]}`,
  ],
  [
    /@(?:app|router|bp|blueprint|api|\w+_router)\.(get|post|put|patch|delete)\(\s*['"]([^'"]+)['"]/i,
    (m) => `${m[1]!.toUpperCase()} ${m[2]}`,
  ],
  [
    /@(?:app|bp|blueprint|\w+)\.route\(\s*['"]([^'"]+)['"](?:.*methods\s*=\s*\[([^\]]+)\])?/,
    (m) =>
      `${m[2] ? m[2].replace(/['"\s]/g, '').toUpperCase() : 'ANY'} ${m[1]}`,
  ],
  [
    /@(Get|Post|Put|Patch|Delete)Mapping\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*"([^"]*)"/,
    (m) => `${m[1]!.toUpperCase()} ${m[2]}`,
  ],
  [/\.(GET|POST|PUT|PATCH|DELETE)\(\s*"([^"]+)"/, (m) => `${m[1]} ${m[2]}`],
  [/\.(?:HandleFunc|Handle)\(\s*"([^"]+)"/, (m) => `ANY ${m[1]}`],
  [
    /\bpath\(\s*r?['"]([^'"]+)['"]\s*,/,
    (m) => `ANY /${m[1]!.replace(/^\//, '')}`,
  ],
];

function routes(text: string): string[] {
  for (const [pattern, say] of ROUTE_RULES) {
    const m = text.match(pattern);
    if (m) return [say(m)];
  }
  return [];
}

const CALL_RULES: Array<[RegExp, string]> = [
  [/\bfetch\(/, 'fetch'],
  [/\baxios(?:\.(?:get|post|put|patch|delete|request|head))?\(/, 'axios'],
  [/\bgot(?:\.(?:get|post|put|patch|delete))?\(/, 'got'],
  [/\bky(?:\.(?:get|post|put|patch|delete))?\(/, 'ky'],
  [/\b(?:https?)\.(?:request|get)\(/, 'node http'],
  [/\brequests\.(?:get|post|put|patch|delete|head|request)\(/, 'requests'],
  [
    /\bhttpx\.(?:get|post|put|patch|delete|request)\(|\bhttpx\.(?:Async)?Client\(/,
    'httpx',
  ],
  [
    /\baiohttp\.ClientSession\(|\bsession\.(?:get|post|put|delete)\(/,
    'aiohttp',
  ],
  [/\burllib\.request\.urlopen\(/, 'urllib'],
  [
    /\bhttp\.(?:Get|Post|PostForm|Head|NewRequest(?:WithContext)?)\(/,
    'net/http',
  ],
  [
    /\b(?:restTemplate|RestTemplate)\.\w+\(|\bWebClient\.|\bHttpClient\.new|\bHttpRequest\.newBuilder\(/,
    'Java HTTP client',
  ],
  [/\bFaraday\.|\bNet::HTTP\.|\bHTTParty\./, 'Ruby HTTP client'],
  [/\bgrpc\.(?:Dial|NewClient)\(|\bgrpc\.(?:insecure_)?channel\(/i, 'gRPC'],
];
const TIMEOUT =
  /\btimeout|\bsignal\s*:|AbortSignal\.timeout|\bdeadline|context\.WithTimeout|WithDeadline|\bconnectTimeout|readTimeout|ClientTimeout/i;
const RETRY =
  /\bretr(?:y|ies)|backoff|tenacity|p-retry|\bRetryPolicy|@Retryable|retrying/i;
const HOST = /https?:\/\/([A-Za-z0-9.-]+(?::\d+)?)/;
const WINDOW = 8;

/** Added calls to other services; a timeout or retry counts when it appears at the call (its statement and the lines just before or after). */
function outboundCalls(path: string, hunks: Hunk[]): OutboundCall[] {
  const calls: OutboundCall[] = [];
  for (const hunk of hunks) {
    const lines = hunk.lines.filter((l) => l.kind !== 'del');
    lines.forEach((l, i) => {
      if (l.kind !== 'add' || /^\s*(?:\/\/|#|\*|\/\*)/.test(l.text)) return;
      const rule = CALL_RULES.find(([pattern]) => pattern.test(l.text));
      if (!rule) return;
      const around = lines
        .slice(Math.max(0, i - 3), i + WINDOW)
        .map((x) => x.text)
        .join('\n');
      const host = HOST.exec(l.text)?.[1];
      calls.push({
        text: host ? `${rule[1]} → ${host}` : rule[1],
        path,
        line: l.newLine ?? 0,
        timeout: TIMEOUT.test(around),
        retry: RETRY.test(around),
      });
    });
  }
  return calls;
}

const ENV_RULES: RegExp[] = [
  /\bprocess\.env\.([A-Z_][A-Z0-9_]*)/g,
  /\bprocess\.env\[\s*['"]([A-Za-z_][\w]*)['"]\s*\]/g,
  /\bos\.environ(?:\.get)?[[(]\s*['"]([A-Za-z_]\w*)['"]/g,
  /\bos\.getenv\(\s*['"]([A-Za-z_]\w*)['"]/g,
  /\bos\.(?:Getenv|LookupEnv)\(\s*"([A-Za-z_]\w*)"/g,
  /\bSystem\.getenv\(\s*"([A-Za-z_]\w*)"/g,
  /\bENV(?:\.fetch\(|\[)\s*['"]([A-Za-z_]\w*)['"]/g,
  /\bDeno\.env\.get\(\s*['"]([A-Za-z_]\w*)['"]/g,
  /\benv\(\s*['"]([A-Z_][A-Z0-9_]*)['"]/g,
];

function envReads(text: string): string[] {
  const names: string[] = [];
  for (const rule of ENV_RULES)
    for (const m of text.matchAll(rule)) names.push(m[1]!);
  return names;
}

const MESSAGING_RULES: Array<[RegExp, (m: RegExpMatchArray) => string]> = [
  [
    /\bnew\s+(Queue|Worker|QueueScheduler|FlowProducer)\(\s*['"`]([^'"`]+)['"`]/,
    (m) => `BullMQ ${m[1]!.toLowerCase()} "${m[2]}"`,
  ],
  [/\btopics?\s*[:=]\s*\[?\s*['"`]([^'"`]+)['"`]/, (m) => `topic "${m[1]}"`],
  [/\b(?:subscribe|publish)\(\s*['"`]([^'"`]+)['"`]/, (m) => `topic "${m[1]}"`],
  [/\bQueueUrl\s*[:=]/, () => 'SQS queue'],
  [/\bTopicArn\s*[:=]/, () => 'SNS topic'],
  [/@(?:\w+\.)?(?:task|shared_task)\b/, () => 'Celery task'],
  [
    /\bKafka(?:Consumer|Producer)\(\s*['"]([^'"]+)['"]/,
    (m) => `Kafka topic "${m[1]}"`,
  ],
  [
    /@KafkaListener\(\s*topics\s*=\s*"([^"]+)"/,
    (m) => `Kafka listener "${m[1]}"`,
  ],
  [
    /@RabbitListener\(|\bchannel\.(?:assertQueue|consume|sendToQueue)\(\s*['"`]([^'"`]*)/,
    (m) => `RabbitMQ queue${m[1] ? ` "${m[1]}"` : ''}`,
  ],
  [/\b(?:cron\.schedule|@Scheduled|schedule\.every)\b/, () => 'scheduled job'],
  [
    /\bperform_(?:later|async)\b|<\s*ApplicationJob\b|include\s+Sidekiq::(?:Job|Worker)/,
    () => 'background job',
  ],
];

function messaging(text: string): string[] {
  for (const [pattern, say] of MESSAGING_RULES) {
    const m = text.match(pattern);
    if (m) return [say(m)];
  }
  return [];
}
