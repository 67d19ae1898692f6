import type { LoadedSpec, Origin } from '../load/load-spec.ts';
import { childPointer } from '../load/source-file.ts';
import {
  asArray,
  asObject,
  asString,
  entries,
  isObject,
  isTrue,
  type JsonObject,
} from './json.ts';

/**
 * A version-neutral view of an API description: Swagger 2.0 documents are mapped onto the
 * OpenAPI 3 shapes (request bodies, media types, schemas) so every check reads one model.
 */
export interface Spec {
  version: '2.0' | '3.0' | '3.1';
  paths: Map<string, PathEntry>;
  webhooks: Map<string, PathEntry>;
  /** Top-level security requirements; undefined when the document sets none. */
  security: unknown[] | undefined;
  securitySchemes: Map<string, JsonObject>;
  source: LoadedSpec;
  /** Where a node came from, including nodes this view synthesised from Swagger 2.0 parts. */
  originOf(node: unknown): Origin | undefined;
}

export const METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;

export interface PathEntry {
  path: string;
  node: JsonObject;
  operations: Map<string, Operation>;
}

export interface Operation {
  method: string;
  path: string;
  node: JsonObject;
  /** Path-level parameters merged in; an operation's own parameter wins over the path's. */
  parameters: Parameter[];
  requestBody: RequestBody | undefined;
  responses: Map<string, Response>;
  security: unknown[] | undefined;
}

export interface Parameter {
  name: string;
  in: string;
  node: JsonObject;
  required: boolean;
  schema: JsonObject | undefined;
  content: Map<string, MediaType>;
}

export interface RequestBody {
  node: JsonObject;
  required: boolean;
  content: Map<string, MediaType>;
}

export interface MediaType {
  name: string;
  node: JsonObject;
  schema: JsonObject | undefined;
}

export interface Response {
  status: string;
  node: JsonObject;
  headers: Map<string, Header>;
  content: Map<string, MediaType>;
}

export interface Header {
  name: string;
  node: JsonObject;
  required: boolean;
  schema: JsonObject | undefined;
}

/** Builds the model from a dereferenced document. */
export function buildSpec(source: LoadedSpec): Spec {
  const document = source.document;
  const synthesized = new WeakMap<object, Origin>();
  const originOf = (node: unknown): Origin | undefined =>
    node !== null && typeof node === 'object'
      ? (source.origins.get(node) ?? synthesized.get(node))
      : undefined;
  const swagger = asString(document.swagger) !== undefined;
  const version: Spec['version'] = swagger
    ? '2.0'
    : String(document.openapi ?? '').startsWith('3.1')
      ? '3.1'
      : '3.0';
  const reader: VersionReader = swagger
    ? new SwaggerReader(document, synthesized, originOf)
    : new OpenApiReader();

  const readPaths = (container: unknown): Map<string, PathEntry> => {
    const result = new Map<string, PathEntry>();
    for (const [path, item] of entries(container)) {
      if (!isObject(item)) continue;
      const operations = new Map<string, Operation>();
      for (const method of METHODS) {
        const node = asObject(item[method]);
        if (!node) continue;
        const parameters = mergeParameters(
          asArray(item.parameters),
          asArray(node.parameters),
        );
        operations.set(method, {
          method,
          path,
          node,
          parameters: reader.parameters(parameters, node),
          requestBody: reader.requestBody(parameters, node),
          responses: reader.responses(node),
          security: Array.isArray(node.security) ? node.security : undefined,
        });
      }
      result.set(path, { path, node: item, operations });
    }
    return result;
  };

  const components = asObject(document.components);
  const schemes = swagger
    ? asObject(document.securityDefinitions)
    : asObject(components?.securitySchemes);
  const securitySchemes = new Map<string, JsonObject>();
  for (const [name, scheme] of entries(schemes))
    if (isObject(scheme)) securitySchemes.set(name, scheme);

  return {
    version,
    paths: readPaths(document.paths),
    webhooks: readPaths(document.webhooks),
    security: Array.isArray(document.security) ? document.security : undefined,
    securitySchemes,
    source,
    originOf,
  };
}

/** Path-level parameters apply to every operation unless the operation redefines the same name and location. */
function mergeParameters(
  pathLevel: unknown[],
  operationLevel: unknown[],
): JsonObject[] {
  const own = operationLevel.filter(isObject);
  const key = (p: JsonObject) => `${String(p.in)}\u0000${String(p.name)}`;
  const ownKeys = new Set(own.map(key));
  return [
    ...pathLevel.filter(isObject).filter((p) => !ownKeys.has(key(p))),
    ...own,
  ];
}

function mediaTypes(content: unknown): Map<string, MediaType> {
  const result = new Map<string, MediaType>();
  for (const [name, node] of entries(content)) {
    if (!isObject(node)) continue;
    result.set(name, { name, node, schema: asObject(node.schema) });
  }
  return result;
}

interface VersionReader {
  parameters(all: JsonObject[], operation: JsonObject): Parameter[];
  requestBody(
    all: JsonObject[],
    operation: JsonObject,
  ): RequestBody | undefined;
  responses(operation: JsonObject): Map<string, Response>;
}

class OpenApiReader implements VersionReader {
  parameters(all: JsonObject[]): Parameter[] {
    return all.map((node) => {
      const content = mediaTypes(node.content);
      // A parameter described by `content` (e.g. JSON in a query string) has its schema there.
      const schema = asObject(node.schema) ?? [...content.values()][0]?.schema;
      return {
        name: String(node.name ?? ''),
        in: String(node.in ?? ''),
        node,
        required: isTrue(node.required),
        schema,
        content,
      };
    });
  }

  requestBody(
    _all: JsonObject[],
    operation: JsonObject,
  ): RequestBody | undefined {
    const node = asObject(operation.requestBody);
    if (!node) return undefined;
    return {
      node,
      required: isTrue(node.required),
      content: mediaTypes(node.content),
    };
  }

  responses(operation: JsonObject): Map<string, Response> {
    const result = new Map<string, Response>();
    for (const [status, node] of entries(operation.responses)) {
      if (!isObject(node)) continue;
      const headers = new Map<string, Header>();
      for (const [name, header] of entries(node.headers)) {
        if (!isObject(header)) continue;
        headers.set(name, {
          name,
          node: header,
          required: isTrue(header.required),
          schema: asObject(header.schema),
        });
      }
      result.set(status, {
        status,
        node,
        headers,
        content: mediaTypes(node.content),
      });
    }
    return result;
  }
}

/** Schema keywords a Swagger 2.0 non-body parameter or header carries inline. */
const INLINE_SCHEMA_KEYS = [
  'type',
  'format',
  'items',
  'collectionFormat',
  'default',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'enum',
  'multipleOf',
];

/** Maps Swagger 2.0 parameters, bodies and responses onto the OpenAPI 3 shapes. */
class SwaggerReader implements VersionReader {
  private readonly document: JsonObject;
  private readonly synthesized: WeakMap<object, Origin>;
  private readonly originOf: (node: unknown) => Origin | undefined;

  constructor(
    document: JsonObject,
    synthesized: WeakMap<object, Origin>,
    originOf: (node: unknown) => Origin | undefined,
  ) {
    this.document = document;
    this.synthesized = synthesized;
    this.originOf = originOf;
  }

  parameters(all: JsonObject[]): Parameter[] {
    return all
      .filter((node) => node.in !== 'body' && node.in !== 'formData')
      .map((node) => ({
        name: String(node.name ?? ''),
        in: String(node.in ?? ''),
        node,
        required: isTrue(node.required),
        schema: this.inlineSchema(node),
        content: new Map(),
      }));
  }

  requestBody(
    all: JsonObject[],
    operation: JsonObject,
  ): RequestBody | undefined {
    const consumes = this.mimeTypes(operation, 'consumes');
    const body = all.find((p) => p.in === 'body');
    if (body) {
      const content = new Map<string, MediaType>();
      const schema = asObject(body.schema);
      for (const name of consumes.length > 0 ? consumes : ['application/json'])
        content.set(name, { name, node: body, schema });
      return { node: body, required: isTrue(body.required), content };
    }
    const form = all.filter((p) => p.in === 'formData');
    if (form.length === 0) return undefined;
    const properties: JsonObject = {};
    const required: string[] = [];
    for (const param of form) {
      const name = String(param.name ?? '');
      properties[name] = this.inlineSchema(param);
      if (isTrue(param.required)) required.push(name);
    }
    const schema: JsonObject = {
      type: 'object',
      properties,
      ...(required.length > 0 ? { required } : {}),
    };
    this.copyOrigin(form[0]!, schema);
    const formTypes = consumes.filter(
      (c) =>
        c === 'multipart/form-data' ||
        c === 'application/x-www-form-urlencoded',
    );
    const content = new Map<string, MediaType>();
    for (const name of formTypes.length > 0
      ? formTypes
      : ['application/x-www-form-urlencoded'])
      content.set(name, { name, node: form[0]!, schema });
    return { node: form[0]!, required: required.length > 0, content };
  }

  responses(operation: JsonObject): Map<string, Response> {
    const produces = this.mimeTypes(operation, 'produces');
    const result = new Map<string, Response>();
    for (const [status, node] of entries(operation.responses)) {
      if (!isObject(node)) continue;
      const headers = new Map<string, Header>();
      for (const [name, header] of entries(node.headers)) {
        if (!isObject(header)) continue;
        headers.set(name, {
          name,
          node: header,
          required: false,
          schema: this.inlineSchema(header),
        });
      }
      const content = new Map<string, MediaType>();
      const schema = asObject(node.schema);
      if (schema)
        for (const name of produces.length > 0
          ? produces
          : ['application/json'])
          content.set(name, { name, node, schema });
      result.set(status, { status, node, headers, content });
    }
    return result;
  }

  private mimeTypes(
    operation: JsonObject,
    key: 'consumes' | 'produces',
  ): string[] {
    const own = operation[key];
    const list = Array.isArray(own) ? own : asArray(this.document[key]);
    return list.filter((m): m is string => typeof m === 'string');
  }

  /** A schema object built from a parameter's inline keywords; it points back at the parameter. */
  private inlineSchema(node: JsonObject): JsonObject {
    const schema: JsonObject = {};
    for (const key of INLINE_SCHEMA_KEYS)
      if (node[key] !== undefined) schema[key] = node[key];
    for (const [key, value] of Object.entries(node))
      if (key.startsWith('x-')) schema[key] = value;
    if (isTrue(node.allowEmptyValue)) schema.allowEmptyValue = true;
    this.copyOrigin(node, schema);
    return schema;
  }

  private copyOrigin(from: JsonObject, to: JsonObject): void {
    const origin = this.originOf(from);
    if (origin) this.synthesized.set(to, origin);
  }
}

/** The pointer of a child node when the parent's origin is known; used for nodes a `$ref` replaced. */
export function childOrigin(
  parent: Origin | undefined,
  key: string | number,
): Origin | undefined {
  return parent
    ? { path: parent.path, pointer: childPointer(parent.pointer, key) }
    : undefined;
}
