import { describe, expect, it } from 'vitest';
import {
  configuredRoot,
  importsOf,
  inferModuleRoot,
  protoRelatedPaths,
} from '../../../../src/analyzers/protobuf/trees.ts';
import { changeSet } from '../../../support/change-set.ts';

describe('where buf runs', () => {
  it('prefers the outermost buf.work.yaml, then the nearest buf.yaml', () => {
    const configs = new Set([
      'buf.work.yaml',
      'proto/buf.yaml',
      'other/buf.yaml',
    ]);
    expect(configuredRoot('proto/acme/v1/a.proto', configs)).toBe('');
    expect(
      configuredRoot(
        'proto/acme/v1/a.proto',
        new Set(['proto/buf.yaml', 'buf.yaml']),
      ),
    ).toBe('proto');
    expect(
      configuredRoot('loose/a.proto', new Set(['proto/buf.yaml'])),
    ).toBeUndefined();
  });

  it('infers the module root from imports, then from the package, then the directory', () => {
    const protos = new Set([
      'api/proto/acme/common/v1/money.proto',
      'api/proto/acme/orders/v1/orders.proto',
    ]);
    const withImport =
      'syntax = "proto3";\npackage x;\nimport "google/protobuf/any.proto";\nimport public "acme/common/v1/money.proto";\n';
    expect(
      inferModuleRoot(
        'api/proto/acme/orders/v1/orders.proto',
        withImport,
        protos,
      ),
    ).toBe('api/proto');
    expect(
      inferModuleRoot(
        'api/proto/acme/orders/v1/orders.proto',
        'package acme.orders.v1;\n',
        protos,
      ),
    ).toBe('api/proto');
    expect(
      inferModuleRoot('misc/thing.proto', 'package unrelated;\n', protos),
    ).toBe('misc');
    expect(importsOf(withImport)).toEqual([
      'google/protobuf/any.proto',
      'acme/common/v1/money.proto',
    ]);
  });

  it('derives the base listing from the head listing and the change list', async () => {
    const set = changeSet(
      [
        {
          path: 'proto/new.proto',
          status: 'added',
          additions: 1,
          deletions: 0,
        },
        {
          path: 'proto/gone.proto',
          status: 'removed',
          additions: 0,
          deletions: 1,
        },
        {
          path: 'proto/renamed.proto',
          previousPath: 'proto/old-name.proto',
          status: 'renamed',
          additions: 0,
          deletions: 0,
        },
      ],
      {
        head: {
          'proto/new.proto': '',
          'proto/renamed.proto': '',
          'proto/same.proto': '',
          'buf.yaml': '',
          'src/a.ts': '',
        },
      },
    );
    const paths = await protoRelatedPaths(set, new AbortController().signal);
    expect(paths).toEqual({
      head: [
        'buf.yaml',
        'proto/new.proto',
        'proto/renamed.proto',
        'proto/same.proto',
      ],
      base: [
        'buf.yaml',
        'proto/gone.proto',
        'proto/old-name.proto',
        'proto/same.proto',
      ],
      complete: true,
    });
  });
});
