import type SwaggerParser from '@apidevtools/swagger-parser';
import { z } from 'zod';
import type { ContentReader, Revision } from '../../../core/change-set.ts';
import {
  childPointer,
  parseSourceFile,
  type SourceFile,
} from './source-file.ts';
import { messageOf } from '../../../core/error-message.ts';

/** Where a node of a dereferenced document came from: a file and a JSON pointer inside it. */
export interface Origin {
  path: string;
  pointer: string;
}

/** A dereferenced spec plus what is needed to point back at its source lines. */
export interface LoadedSpec {
  /** The root file's repository path. */
  path: string;
  revision: Revision;
  document: Record<string, unknown>;
  files: Map<string, SourceFile>;
  /** Every object node of every parsed file, by identity. */
  origins: WeakMap<object, Origin>;
  /** The `$ref` text that led to an object, for subschema matching by reference. */
  refs: WeakMap<object, string>;
}

export class SpecLoadError extends Error {
  override name = 'SpecLoadError';
}

/** The top of a document, checked before any check reads it; everything below is read defensively. */
const DocumentSchema = z
  .looseObject({
    openapi: z.string().optional(),
    swagger: z.string().optional(),
    paths: z.record(z.string(), z.unknown()).nullish(),
    webhooks: z.record(z.string(), z.unknown()).nullish(),
    components: z.record(z.string(), z.unknown()).nullish(),
    security: z.array(z.unknown()).nullish(),
  })
  .refine(
    (document) =>
      document.openapi !== undefined || document.swagger !== undefined,
    'no top-level `openapi` or `swagger` field',
  );

const SCHEME = 'spec:';
/** Dereferencing is local and in memory; anything slower than this is a pathological document. */
const DEREFERENCE_TIMEOUT_MS = 10_000;

/**
 * Loads and dereferences a spec at one revision. Every `$ref` — internal or to another file — is
 * resolved through the content reader at the same revision; the disk and the network are never read.
 */
export async function loadSpec(
  reader: ContentReader,
  revision: Revision,
  path: string,
  signal?: AbortSignal,
): Promise<LoadedSpec> {
  const files = new Map<string, SourceFile>();
  const origins = new WeakMap<object, Origin>();
  const refs = new WeakMap<object, string>();
  const dereferenced: Array<{
    parent: Record<string, unknown> | unknown[];
    key: string;
    ref: string;
  }> = [];

  const options = {
    resolve: {
      file: false,
      http: false,
      external: true,
      repository: {
        order: 1,
        canRead: (file: { url: string }) => file.url.startsWith(SCHEME),
        read: async (file: { url: string }) => {
          signal?.throwIfAborted();
          const filePath = pathOfUrl(file.url);
          const text = await reader.read(revision, filePath, signal);
          if (text === undefined)
            throw new SpecLoadError(
              `${filePath} is missing at ${revision} (or binary, or over the size limit)`,
            );
          return text;
        },
      },
    },
    parse: {
      json: false,
      yaml: false,
      text: false,
      binary: false,
      source: {
        order: 1,
        canParse: true,
        parse: (file: { url: string; data: unknown }) => {
          const filePath = pathOfUrl(file.url);
          const source = parseSourceFile(
            filePath,
            Buffer.isBuffer(file.data)
              ? file.data.toString('utf8')
              : String(file.data),
          );
          files.set(filePath, source);
          recordOrigins(source.value, filePath, origins);
          return source.value;
        },
      },
    },
    dereference: {
      circular: true,
      onDereference: (
        ref: string,
        _value: unknown,
        parent?: unknown,
        key?: string,
      ) => {
        // The parent is an array for allOf/oneOf members and the like.
        if ((isRecord(parent) || Array.isArray(parent)) && key !== undefined)
          dereferenced.push({ parent, key, ref });
      },
    },
    timeoutMs: DEREFERENCE_TIMEOUT_MS,
  };

  let document: unknown;
  try {
    // Loaded on the first spec (most reviews have none): with its dependencies it is slow to load.
    const { default: Parser } = await import('@apidevtools/swagger-parser');
    document = await new Parser().dereference(
      urlOfPath(path),
      options as unknown as SwaggerParser.Options,
    );
  } catch (error) {
    signal?.throwIfAborted();
    throw new SpecLoadError(specMessageOf(error));
  }
  for (const { parent, key, ref } of dereferenced) {
    const value = (parent as Record<string, unknown>)[key];
    if (isRecord(value) && !refs.has(value)) refs.set(value, ref);
  }
  const checked = DocumentSchema.safeParse(document);
  if (!checked.success || !isRecord(document)) {
    const issue = checked.error?.issues[0];
    throw new SpecLoadError(
      issue
        ? `${issue.path.join('.') || 'document'}: ${issue.message}`
        : 'the document is not an object',
    );
  }
  return { path, revision, document, files, origins, refs };
}

function urlOfPath(path: string): string {
  return `${SCHEME}//${encodeURI(`/${path.replace(/^\/+/, '')}`)
    .replace(/#/g, '%23')
    .replace(/\?/g, '%3F')}`;
}

function pathOfUrl(url: string): string {
  return decodeURIComponent(new URL(url).pathname).replace(/^\/+/, '');
}

/** Maps every object of a freshly parsed file to its pointer; shared (aliased) nodes keep their first place. */
function recordOrigins(
  value: unknown,
  path: string,
  origins: WeakMap<object, Origin>,
): void {
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [node, pointer] = stack.pop()!;
    if (node === null || typeof node !== 'object' || origins.has(node))
      continue;
    origins.set(node, { path, pointer });
    if (Array.isArray(node))
      node.forEach((item, index) =>
        stack.push([item, childPointer(pointer, index)]),
      );
    else
      for (const [key, item] of Object.entries(node))
        stack.push([item, childPointer(pointer, key)]);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The error's message without the internal `spec://` scheme documents are loaded under. */
function specMessageOf(error: unknown): string {
  return messageOf(error).replace(/spec:\/\/\/?/g, '');
}
