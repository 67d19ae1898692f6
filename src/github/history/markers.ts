import type { z } from 'zod';

/**
 * Hidden markers carry the app's state inside its own comments, so GitHub is the only store:
 * `<!-- backend-architect:<kind> <json> -->` as the last thing in a comment body. A marker is only
 * believed when the comment's author is the app itself (see `isOwnComment`); anyone can type an
 * HTML comment, and untrusted text inside the app's comments is sanitized so it cannot hold one.
 */
export type MarkerKind = 'finding' | 'review' | 'state';

const PREFIX = 'backend-architect';
const TRAILING_MARKER = new RegExp(
  `<!-- ${PREFIX}:(finding|review|state) (\\{.*\\}) -->\\s*$`,
  's',
);

/** The marker text; `<`, `>` and `&` are JSON-escaped so the payload can never close the comment early. */
export function marker(kind: MarkerKind, data: unknown): string {
  const json = JSON.stringify(data).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `<!-- ${PREFIX}:${kind} ${json} -->`;
}

/** Appends a marker to a rendered body. */
export function withMarker(
  body: string,
  kind: MarkerKind,
  data: unknown,
): string {
  return `${body}\n\n${marker(kind, data)}`;
}

/** Reads the trailing marker of the given kind; undefined when absent, malformed or not matching the schema. */
export function readMarker<T>(
  body: string | null | undefined,
  kind: MarkerKind,
  schema: z.ZodType<T>,
): T | undefined {
  if (!body) return undefined;
  const match = TRAILING_MARKER.exec(body);
  if (!match || match[1] !== kind) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(match[2]!);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

/** The body without its trailing marker, e.g. to quote a finding's comment. */
export function stripMarker(body: string): string {
  return body.replace(TRAILING_MARKER, '').trimEnd();
}

export interface CommentAuthor {
  login: string;
  type?: string;
}

/**
 * The app's own comments: a Bot account whose login is `<app-slug>[bot]`. Run with a person's
 * token (`architect review --pr --post`), the poster is that User account; a login ending in
 * `[bot]` can only ever be a Bot's, so the account type must match the kind of login.
 */
export function isOwnComment(
  user: CommentAuthor | null | undefined,
  botLogin: string,
): boolean {
  if (
    user === null ||
    user === undefined ||
    user.login.toLowerCase() !== botLogin.toLowerCase()
  )
    return false;
  return (
    user.type === (botLogin.toLowerCase().endsWith('[bot]') ? 'Bot' : 'User')
  );
}
