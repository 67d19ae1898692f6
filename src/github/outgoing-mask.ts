import { AsyncLocalStorage } from 'node:async_hooks';
import type { SecretRedactor } from '../core/ports.ts';
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
const TEXT_KEYS = new Set(['body', 'title', 'summary', 'text', 'message', 'raw_details']);

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
      if (store && masked.length === text.length) for (const value of maskedValues(text, masked)) store.add(value);
      return masked;
    },
  };
}

/** The runs of `original` that the redactor replaced with `*` (it keeps the length and line breaks). */
export function maskedValues(original: string, masked: string): string[] {
  const values: string[] = [];
  let start = -1;
  for (let i = 0; i <= masked.length; i++) {
    const hidden = i < masked.length && masked[i] === '*' && original[i] !== '*';
    if (hidden && start < 0) start = i;
    if (!hidden && start >= 0) {
      for (const part of original.slice(start, i).split(/\r?\n/)) if (part.trim().length >= MIN_SECRET_LENGTH) values.push(part.trim());
      start = -1;
    }
  }
  return values;
}

/** `text` with every remembered secret and every secret the redactor recognises replaced by {@link MASK}. */
export async function maskText(text: string, redactor: SecretRedactor | undefined, secrets: ReadonlySet<string>): Promise<string> {
  let out = text;
  // Longest first, so a secret containing another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) if (out.includes(secret)) out = out.split(secret).join(MASK);
  if (!redactor) return out;
  const scanned = await redactor.redact('outgoing-comment.md', out);
  if (scanned.length !== out.length || scanned === out) return out;
  let result = '';
  for (let i = 0; i < out.length; ) {
    if (scanned[i] === '*' && out[i] !== '*') {
      let end = i;
      while (end < out.length && scanned[end] === '*' && out[end] !== '*' && out[end] !== '\n') end++;
      result += MASK;
      i = end;
    } else {
      result += out[i];
      i++;
    }
  }
  return result;
}

/** Masks the text fields of a request body, recursively; returns the same object when nothing changed. */
async function maskBody(value: unknown, key: string | undefined, mask: (text: string) => Promise<string>): Promise<unknown> {
  if (typeof value === 'string') return key !== undefined && TEXT_KEYS.has(key) ? mask(value) : value;
  if (Array.isArray(value)) return Promise.all(value.map((item) => maskBody(item, key, mask)));
  if (typeof value !== 'object' || value === null) return value;
  const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await maskBody(v, k, mask)] as const));
  return Object.fromEntries(entries);
}

interface RequestOptions {
  method?: string;
  url?: string;
  [key: string]: unknown;
}

/** Keys of Octokit request options that are not body parameters. */
const NOT_BODY = new Set(['method', 'url', 'headers', 'request', 'baseUrl', 'mediaType', 'data']);

/**
 * Installs the masking on a client (once per client): an Octokit plugin, so it also fits a plain
 * @octokit/rest client. Masking failures fail the request: unmasked text is never sent.
 */
export function maskOutgoing(octokit: HookedClient, options: { redactor?: SecretRedactor } = {}): Record<string, never> {
  if (installed.has(octokit)) return {};
  installed.add(octokit);
  octokit.hook.wrap('request', async (request: (options: RequestOptions) => Promise<unknown>, requestOptions: RequestOptions) => {
    const method = (requestOptions.method ?? 'GET').toUpperCase();
    if (method === 'GET' || method === 'HEAD' || /\/access_tokens$/.test(requestOptions.url ?? '')) return request(requestOptions);
    const secrets = rememberedSecrets();
    const mask = (text: string) => maskText(text, options.redactor, secrets);
    // In place: Octokit hands the inner layers (throttling, retry, logging) this very object, not
    // whatever a wrapper passes on. It is the request's own merged copy, not the caller's.
    for (const [key, value] of Object.entries(requestOptions)) {
      // GraphQL's `query` is the app's own document; its `variables` are masked by their names.
      if (NOT_BODY.has(key) || key === 'query') continue;
      requestOptions[key] = await maskBody(value, key === 'variables' ? undefined : key, mask);
    }
    return request(requestOptions);
  });
  return {};
}
