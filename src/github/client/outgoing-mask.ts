import { AsyncLocalStorage } from 'node:async_hooks';
import type { SecretRedactor } from '../../core/ports.ts';
import type { HookedClient } from './rate-limit-retry.ts';

/**
 * The one place text leaves for GitHub with its secrets masked: every write request's text fields
 * (review body and comments, issue comments, check run title/summary/text, annotations, GraphQL
 * replies) are masked right before they are sent, so a finding that quotes a secret — the model's
 * or anyone's — is never posted, and an error logged with the request body carries the masked text.
 *
 * Two sources of secrets: every value the secret redactor masked while this job prepared text for
 * the model (so a context-dependent secret such as `password = "…"` is known by value), and
 * whatever the redactor recognises by its shape in the outgoing text itself.
 */
export const MASK = '[redacted]';

/** Values shorter than this are not remembered: masking them would garble ordinary words. */
const MIN_SECRET_LENGTH = 8;

/** Fields of request bodies that carry prose; identifiers (SHAs, ids, paths, external ids) are left alone. */
const TEXT_KEYS = new Set([
  'body',
  'title',
  'summary',
  'text',
  'message',
  'raw_details',
]);

const known = new AsyncLocalStorage<Set<string>>();
const installed = new WeakSet<object>();

/** Runs `work` with its own set of remembered secrets; nested calls share the outer set. */
export function withSecretScope<T>(work: () => Promise<T>): Promise<T> {
  return known.getStore() ? work() : known.run(new Set(), work);
}

/** Secrets remembered in the current scope. */
export function rememberedSecrets(): ReadonlySet<string> {
  return known.getStore() ?? new Set();
}

/** A redactor that also remembers, in the current scope, every value it masked. */
export function rememberingRedactor(redactor: SecretRedactor): SecretRedactor {
  return {
    async redact(path: string, text: string): Promise<string> {
      const masked = await redactor.redact(path, text);
      const store = known.getStore();
      if (store && masked.length === text.length)
        for (const value of maskedValues(text, masked)) store.add(value);
      return masked;
    },
  };
}

/** The runs of `original` that the redactor replaced with `*` (it keeps the length and line breaks). */
export function maskedValues(original: string, masked: string): string[] {
  const values: string[] = [];
  let start = -1;
  for (let i = 0; i <= masked.length; i++) {
    const hidden =
      i < masked.length && masked[i] === '*' && original[i] !== '*';
    if (hidden && start < 0) start = i;
    if (!hidden && start >= 0) {
      for (const part of original.slice(start, i).split(/\r?\n/))
        if (part.trim().length >= MIN_SECRET_LENGTH) values.push(part.trim());
      start = -1;
    }
  }
  return values;
}

/** `text` with every remembered secret and every secret the redactor recognises replaced by {@link MASK}. */
export async function maskText(
  text: string,
  redactor: SecretRedactor | undefined,
  secrets: ReadonlySet<string>,
): Promise<string> {
  return (await maskTexts([text], redactor, secrets))[0]!;
}

/**
 * {@link maskText} for many texts at once, with one scan: a check run update carries up to 50
 * annotations of three texts each. The redactor keeps lengths, so each text is cut back out of the
 * scanned whole by its offsets. If it did not, nothing is sent: the request fails.
 */
export async function maskTexts(
  texts: readonly string[],
  redactor: SecretRedactor | undefined,
  secrets: ReadonlySet<string>,
): Promise<string[]> {
  // Longest first, so a secret containing another is masked whole.
  const known = [...secrets].sort((a, b) => b.length - a.length);
  const outs = texts.map((text) =>
    known.reduce(
      (out, secret) =>
        out.includes(secret) ? out.split(secret).join(MASK) : out,
      text,
    ),
  );
  if (!redactor || outs.length === 0) return outs;
  const joined = outs.join(SEPARATOR);
  const scanned = await redactor.redact('outgoing-comment.md', joined);
  if (scanned.length !== joined.length)
    throw new Error(
      'secret masking of outgoing text failed: the redactor changed its length',
    );
  if (scanned === joined) return outs;
  let offset = 0;
  return outs.map((out) => {
    const part = scanned.slice(offset, offset + out.length);
    offset += out.length + SEPARATOR.length;
    return replaceMaskedRuns(out, part);
  });
}

const SEPARATOR = '\n\n';

/** Each run the redactor turned into `*` becomes one {@link MASK}. */
function replaceMaskedRuns(original: string, scanned: string): string {
  if (original === scanned) return original;
  let result = '';
  for (let i = 0; i < original.length; ) {
    if (scanned[i] === '*' && original[i] !== '*') {
      let end = i;
      while (
        end < original.length &&
        scanned[end] === '*' &&
        original[end] !== '*' &&
        original[end] !== '\n'
      )
        end++;
      result += MASK;
      i = end;
    } else {
      result += original[i];
      i++;
    }
  }
  return result;
}

/** The text fields of a request body, recursively, each with a setter that puts its masked text back. */
function textFields(
  value: unknown,
  key: string | undefined,
  put: (next: unknown) => void,
  out: Array<{ text: string; put: (next: string) => void }>,
): void {
  if (typeof value === 'string') {
    if (key !== undefined && TEXT_KEYS.has(key)) out.push({ text: value, put });
    return;
  }
  if (Array.isArray(value)) {
    const copy = [...value];
    put(copy);
    copy.forEach((item, i) =>
      textFields(item, key, (next) => (copy[i] = next), out),
    );
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const copy: Record<string, unknown> = {
    ...(value as Record<string, unknown>),
  };
  put(copy);
  for (const [k, v] of Object.entries(copy))
    textFields(v, k, (next) => (copy[k] = next), out);
}

interface RequestOptions {
  method?: string;
  url?: string;
  [key: string]: unknown;
}

/** Keys of Octokit request options that are not body parameters. */
const NOT_BODY = new Set([
  'method',
  'url',
  'headers',
  'request',
  'baseUrl',
  'mediaType',
  'data',
]);

/**
 * Installs the masking on a client (once per client): an Octokit plugin, so it also fits a plain
 * @octokit/rest client. Masking failures fail the request: unmasked text is never sent.
 */
export function maskOutgoing(
  octokit: HookedClient,
  options: { redactor?: SecretRedactor } = {},
): Record<string, never> {
  if (installed.has(octokit)) return {};
  installed.add(octokit);
  octokit.hook.wrap(
    'request',
    async (
      request: (options: RequestOptions) => Promise<unknown>,
      requestOptions: RequestOptions,
    ) => {
      const method = (requestOptions.method ?? 'GET').toUpperCase();
      if (
        method === 'GET' ||
        method === 'HEAD' ||
        /\/access_tokens$/.test(requestOptions.url ?? '')
      )
        return request(requestOptions);
      // In place: Octokit hands the inner layers (throttling, retry, logging) this very object, not
      // whatever a wrapper passes on. It is the request's own merged copy; nested values are copied
      // before they change, so the caller's objects stay as they were.
      const fields: Array<{ text: string; put: (next: string) => void }> = [];
      for (const [key, value] of Object.entries(requestOptions)) {
        // GraphQL's `query` is the app's own document; its `variables` are masked by their names.
        if (NOT_BODY.has(key) || key === 'query') continue;
        textFields(
          value,
          key === 'variables' ? undefined : key,
          (next) => (requestOptions[key] = next),
          fields,
        );
      }
      const masked = await maskTexts(
        fields.map((f) => f.text),
        options.redactor,
        rememberedSecrets(),
      );
      fields.forEach((field, i) => field.put(masked[i]!));
      return request(requestOptions);
    },
  );
  return {};
}
