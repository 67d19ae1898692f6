/**
 * Synthetic repositories for the contract analyzers' cost: protobuf packages with imports between
 * files and a buf.yaml, and GraphQL SDL files, each with a base and a head revision.
 */
import type { ChangeSet, ChangedFile } from '../src/core/change-set.ts';

function protoFile(pkg: number, file: number, changed: boolean): string {
  const name = `Item${pkg}x${file}`;
  const lines = [
    'syntax = "proto3";',
    '',
    `package acme.svc${pkg}.v1;`,
    '',
    'import "google/protobuf/timestamp.proto";',
    ...(file > 0 ? [`import "acme/svc${pkg}/v1/item${file - 1}.proto";`] : []),
    '',
    `option go_package = "example.com/acme/gen/svc${pkg}/v1;svc${pkg}v1";`,
    '',
    `message ${name} {`,
    '  string id = 1;',
    changed ? '  int64 quantity = 2;' : '  int32 quantity = 2;',
    '  google.protobuf.Timestamp created_at = 3;',
    ...(changed ? [] : ['  string note = 4;']),
    ...(file > 0 ? [`  Item${pkg}x${file - 1} previous = 5;`] : []),
    '  repeated string tags = 6;',
    '}',
    '',
    `message Get${name}Request {`,
    '  string id = 1;',
    '}',
    '',
    `service ${name}Service {`,
    `  rpc Get${name}(Get${name}Request) returns (${name});`,
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

function sdlFile(i: number, changed: boolean): string {
  return [
    `type Order${i} {`,
    '  id: ID!',
    changed ? '  total: Float' : '  total: Int!',
    ...(changed ? [] : ['  note: String']),
    `  items(first: Int = 10${changed ? ', after: String!' : ''}): [Item${i}!]!`,
    '}',
    '',
    `type Item${i} {`,
    '  sku: String!',
    '  quantity: Int!',
    '}',
    '',
    `enum Status${i} {`,
    '  OPEN',
    '  PAID',
    ...(changed ? ['  REFUNDED'] : []),
    '}',
    '',
    'extend type Query {',
    `  order${i}(id: ID!): Order${i}`,
    '}',
    '',
  ].join('\n');
}

function wholeFilePatch(before: string, after: string): string {
  const old = before.replace(/\n$/, '').split('\n');
  const now = after.replace(/\n$/, '').split('\n');
  return [
    `@@ -1,${old.length} +1,${now.length} @@`,
    ...old.map((l) => `-${l}`),
    ...now.map((l) => `+${l}`),
  ].join('\n');
}

function changeSetOf(
  base: Map<string, string>,
  head: Map<string, string>,
): ChangeSet {
  const files: ChangedFile[] = [];
  for (const [path, after] of head) {
    const before = base.get(path)!;
    if (before === after) continue;
    files.push({
      path,
      status: 'modified',
      additions: after.split('\n').length,
      deletions: before.split('\n').length,
      patch: wholeFilePatch(before, after),
    });
  }
  return {
    headSha: 'f'.repeat(40),
    baseSha: 'e'.repeat(40),
    files,
    listingComplete: true,
    contents: {
      async read(revision, path) {
        return (revision === 'head' ? head : base).get(path);
      },
      async listHeadPaths() {
        return [...head.keys()];
      },
    },
  };
}

/** `total` .proto files in packages of ten under proto/ with a v2 buf.yaml; the first `changed` files change. */
export function protoRepository(total: number, changed: number): ChangeSet {
  const base = new Map<string, string>();
  const head = new Map<string, string>();
  const config =
    'version: v2\nmodules:\n  - path: proto\nbreaking:\n  use:\n    - FILE\n';
  base.set('buf.yaml', config);
  head.set('buf.yaml', config);
  for (let i = 0; i < total; i++) {
    const pkg = Math.floor(i / 10);
    const file = i % 10;
    const path = `proto/acme/svc${pkg}/v1/item${file}.proto`;
    base.set(path, protoFile(pkg, file, false));
    head.set(path, protoFile(pkg, file, i < changed));
  }
  return changeSetOf(base, head);
}

/** `total` SDL files, each extending Query; the first `changed` files change. */
export function graphqlRepository(total: number, changed: number): ChangeSet {
  const base = new Map<string, string>();
  const head = new Map<string, string>();
  for (let i = 0; i < total; i++) {
    const path = `schema/order${i}.graphql`;
    base.set(path, sdlFile(i, false));
    head.set(path, sdlFile(i, i < changed));
  }
  return changeSetOf(base, head);
}
