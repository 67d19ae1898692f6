import {
  isEmptyChangeMap,
  type ChangeFact,
  type ChangeMap,
} from '../core/change-map/change-map.ts';
import { inlineCode, sanitizeInline } from './sanitize.ts';

/** Every item of the map comes from the pull request's code; it is shown as sanitized inline text. */
const MAX_ITEM = 200;

function where(fact: ChangeFact): string {
  return inlineCode(fact.line ? `${fact.path}:${fact.line}` : fact.path);
}

/** The change map's sections as (heading, lines) pairs, shared by the markdown and text renderers. */
export function changeMapSections(
  map: ChangeMap,
  code: (text: string) => string,
  clean: (text: string) => string,
  loc: (fact: ChangeFact) => string,
): Array<[string, string[]]> {
  const sections: Array<[string, string[]]> = [];
  if (map.dataModel.length > 0)
    sections.push([
      'Data model',
      map.dataModel.map(
        (m) => `${code(m.path)}: ${m.changes.map(clean).join('; ')}`,
      ),
    ]);
  if (map.api.length > 0)
    sections.push([
      'API contract',
      map.api.map((f) => `${clean(f.text)} (${loc(f)})`),
    ]);
  if (map.outboundCalls.length > 0) {
    sections.push([
      'Outbound calls',
      map.outboundCalls.map(
        (c) =>
          `${clean(c.text)} at ${loc(c)}: ${c.timeout ? 'timeout set' : 'no timeout at the call'}, ${c.retry ? 'retry' : 'no retry'}`,
      ),
    ]);
  }
  if (map.config.length > 0)
    sections.push([
      'Configuration read',
      map.config.map((f) => `${code(f.text)} (${loc(f)})`),
    ]);
  if (map.messaging.length > 0)
    sections.push([
      'Queues, topics and jobs',
      map.messaging.map((f) => `${clean(f.text)} (${loc(f)})`),
    ]);
  return sections;
}

/** The "what this change does to the backend" block that opens the summary; empty when there is nothing to say. */
export function changeMapMarkdown(map: ChangeMap | undefined): string {
  if (!map || isEmptyChangeMap(map)) return '';
  const clean = (t: string) => sanitizeInline(t, MAX_ITEM);
  const lines = ['### Backend change map', ''];
  for (const [heading, items] of changeMapSections(
    map,
    inlineCode,
    clean,
    where,
  )) {
    lines.push(`**${heading}**`, '', ...items.map((i) => `- ${i}`), '');
  }
  if (map.narrative.length > 0) {
    lines.push(
      '**Trade-offs and deployment** (AI)',
      '',
      ...map.narrative.slice(0, 4).map((n) => `- ${sanitizeInline(n, 1200)}`),
      '',
    );
  }
  return lines.join('\n').trimEnd();
}
