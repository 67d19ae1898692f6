import { describe, expect, it } from 'vitest';
import {
  isSpecDocument,
  looksLikeSpec,
} from '../../../../src/analyzers/openapi/load/detect.ts';
import {
  loadSpec,
  SpecLoadError,
} from '../../../../src/analyzers/openapi/load/load-spec.ts';
import {
  parseSourceFile,
  SourceSyntaxError,
} from '../../../../src/analyzers/openapi/load/source-file.ts';
import { memoryReader, yaml } from './builder.ts';

describe('parseSourceFile', () => {
  it('maps JSON pointers to the lines of YAML keys and sequence items', () => {
    const file = parseSourceFile(
      'api.yaml',
      yaml`
        openapi: 3.0.3
        paths:
          /pets/{id}:
            get:
              parameters:
                - name: id
                  in: path
      `,
    );
    expect(file.lineOf('/openapi')).toBe(1);
    expect(file.lineOf('/paths/~1pets~1{id}/get')).toBe(4);
    expect(file.lineOf('/paths/~1pets~1{id}/get/parameters/0')).toBe(6);
    expect(file.lineOf('/paths/~1pets~1{id}/get/parameters/0/in')).toBe(7);
    // A pointer below a known node falls back to the nearest ancestor's line.
    expect(file.lineOf('/paths/~1pets~1{id}/get/parameters/0/in/nothing')).toBe(
      7,
    );
  });

  it('maps JSON documents too', () => {
    const file = parseSourceFile(
      'api.json',
      '{\n  "openapi": "3.1.0",\n  "paths": {\n    "/a": {}\n  }\n}\n',
    );
    expect(file.lineOf('/paths/~1a')).toBe(4);
    expect(file.value).toEqual({ openapi: '3.1.0', paths: { '/a': {} } });
  });

  it('reports malformed text with its line', () => {
    expect(() =>
      parseSourceFile('bad.yaml', 'openapi: 3.0.0\npaths:\n  /a: [\n'),
    ).toThrow(SourceSyntaxError);
    expect(() =>
      parseSourceFile('dup.yaml', 'openapi: 3.0.0\nopenapi: 3.1.0\n'),
    ).toThrow(/line 2/);
  });
});

describe('spec detection', () => {
  it('recognises top-level openapi and swagger keys only', () => {
    expect(looksLikeSpec('openapi: 3.0.0\n')).toBe(true);
    expect(looksLikeSpec('swagger: "2.0"\n')).toBe(true);
    expect(looksLikeSpec('{\n  "openapi": "3.1.0"\n}')).toBe(true);
    expect(looksLikeSpec('services:\n  openapi: true\n')).toBe(false);
    expect(looksLikeSpec('{"name": "package", "version": "1.0.0"}')).toBe(
      false,
    );
    expect(isSpecDocument({ openapi: '3.0.0' })).toBe(true);
    expect(isSpecDocument({ name: 'x' })).toBe(false);
  });
});

describe('loadSpec', () => {
  const root = yaml`
    openapi: 3.0.3
    info: {title: t, version: '1'}
    paths:
      /pets:
        post:
          requestBody:
            content:
              application/json:
                schema:
                  $ref: './schemas/pet.yaml#/Pet'
          responses:
            '201': {description: created}
  `;

  it('resolves references to other files through the reader at the same revision', async () => {
    const reader = memoryReader({
      base: {
        'api/openapi.yaml': root,
        'api/schemas/pet.yaml':
          'Pet:\n  type: object\n  properties:\n    name: {type: string}\n',
      },
      head: {
        'api/openapi.yaml': root,
        'api/schemas/pet.yaml':
          'Pet:\n  type: object\n  properties:\n    name: {type: integer}\n',
      },
    });
    const base = await loadSpec(reader, 'base', 'api/openapi.yaml');
    const head = await loadSpec(reader, 'head', 'api/openapi.yaml');
    const schemaOf = (doc: Record<string, any>) =>
      doc.paths['/pets'].post.requestBody.content['application/json'].schema;
    expect(schemaOf(base.document).properties.name.type).toBe('string');
    expect(schemaOf(head.document).properties.name.type).toBe('integer');
    expect(reader.reads).toEqual([
      'base:api/openapi.yaml',
      'base:api/schemas/pet.yaml',
      'head:api/openapi.yaml',
      'head:api/schemas/pet.yaml',
    ]);
    // Nodes keep their place in the file they came from.
    expect(head.origins.get(schemaOf(head.document))).toEqual({
      path: 'api/schemas/pet.yaml',
      pointer: '/Pet',
    });
    expect(head.refs.get(schemaOf(head.document))).toBe(
      './schemas/pet.yaml#/Pet',
    );
  });

  it('never reads the disk or the network for a reference', async () => {
    const reader = memoryReader({
      head: {
        'openapi.yaml': root.replace(
          './schemas/pet.yaml#/Pet',
          '/etc/hostname',
        ),
      },
    });
    await expect(loadSpec(reader, 'head', 'openapi.yaml')).rejects.toThrow(
      SpecLoadError,
    );
    expect(reader.reads).toEqual(['head:openapi.yaml', 'head:etc/hostname']);

    const remote = memoryReader({
      head: {
        'openapi.yaml': root.replace(
          './schemas/pet.yaml#/Pet',
          'https://example.com/pet.yaml',
        ),
      },
    });
    await expect(loadSpec(remote, 'head', 'openapi.yaml')).rejects.toThrow(
      SpecLoadError,
    );
    expect(remote.reads).toEqual(['head:openapi.yaml']);
  });

  it('rejects a document that is not a spec, and a broken one, with a message', async () => {
    const reader = memoryReader({
      head: {
        'a.yaml': 'name: x\npaths: {}\n',
        'b.yaml': 'openapi: 3.0.0\npaths:\n  /a: [\n',
      },
    });
    await expect(loadSpec(reader, 'head', 'a.yaml')).rejects.toThrow(
      /openapi|swagger/i,
    );
    await expect(loadSpec(reader, 'head', 'b.yaml')).rejects.toThrow(/line/);
  });

  it('handles recursive schemas', async () => {
    const reader = memoryReader({
      head: {
        'openapi.yaml': yaml`
          openapi: 3.0.3
          info: {title: t, version: '1'}
          paths: {}
          components:
            schemas:
              Node:
                type: object
                properties:
                  children:
                    type: array
                    items: {$ref: '#/components/schemas/Node'}
        `,
      },
    });
    const spec = await loadSpec(reader, 'head', 'openapi.yaml');
    const node = (spec.document.components as any).schemas.Node;
    expect(node.properties.children.items).toBe(node);
  });
});
