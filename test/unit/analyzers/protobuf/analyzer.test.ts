import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProtobufAnalyzer } from '../../../../src/analyzers/protobuf/index.ts';
import {
  revisionsInput as analyzerInput,
  type Revisions,
} from '../../../support/revisions.ts';

const ORDERS_V1 = `syntax = "proto3";

package acme.orders.v1;

import "google/protobuf/timestamp.proto";
import "acme/common/v1/money.proto";

message Order {
  string id = 1;
  int32 quantity = 2;
  acme.common.v1.Money total = 3;
  google.protobuf.Timestamp created_at = 4;
  string note = 5;
}

service OrderService {
  rpc GetOrder(GetOrderRequest) returns (Order);
}

message GetOrderRequest {
  string id = 1;
}
`;

const MONEY = `syntax = "proto3";

package acme.common.v1;

message Money {
  string currency = 1;
  int64 units = 2;
}
`;

const analyzer = createProtobufAnalyzer();

function tree(
  orders: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'proto/acme/orders/v1/orders.proto': orders,
    'proto/acme/common/v1/money.proto': MONEY,
    ...extra,
  };
}

async function run(
  revisions: Revisions,
  changed = ['proto/acme/orders/v1/orders.proto'],
) {
  return analyzer.analyze(
    analyzerInput(
      revisions,
      changed.map((path) => ({ path })),
    ),
  );
}

describe('protobuf analyzer', () => {
  it('reports buf rules on the changed line, with what breaks and a fix, and resolves imports within the repository', async () => {
    const head = ORDERS_V1.replace(
      'int32 quantity = 2;',
      'int64 quantity = 2;',
    ).replace('  string note = 5;\n', '');
    const { findings, notes } = await run({
      base: tree(ORDERS_V1),
      head: tree(head),
    });
    expect(notes).toEqual([]);
    const byRule = Object.fromEntries(findings.map((f) => [f.ruleId, f]));
    expect(Object.keys(byRule).sort()).toEqual([
      'api-contract/protobuf-field-no-delete',
      'api-contract/protobuf-field-same-type',
    ]);
    const type = byRule['api-contract/protobuf-field-same-type']!;
    expect(type).toMatchObject({
      path: 'proto/acme/orders/v1/orders.proto',
      severity: 'high',
      lines: { start: 10, end: 10, side: 'RIGHT' },
    });
    expect(type.title).toContain('changed type from "int32" to "int64"');
    expect(type.body).toMatch(/What breaks for clients/);
    expect(type.fix).toBeTruthy();
    // A deletion is reported on the message that lost the field.
    expect(byRule['api-contract/protobuf-field-no-delete']!.lines?.start).toBe(
      8,
    );
  });

  it("honours the repository's buf.yaml: WIRE_JSON allows a deleted field whose number and name are reserved", async () => {
    const config =
      'version: v2\nmodules:\n  - path: proto\nbreaking:\n  use:\n    - WIRE_JSON\n';
    const head = ORDERS_V1.replace(
      '  string note = 5;\n',
      '  reserved 5;\n  reserved "note";\n',
    );
    const { findings, notes } = await run({
      base: tree(ORDERS_V1, { 'buf.yaml': config }),
      head: tree(head, { 'buf.yaml': config }),
    });
    expect(notes).toEqual([]);
    expect(findings).toEqual([]);
    // The same deletion without reservations breaks JSON and the wire.
    const unreserved = await run({
      base: tree(ORDERS_V1, { 'buf.yaml': config }),
      head: tree(ORDERS_V1.replace('  string note = 5;\n', ''), {
        'buf.yaml': config,
      }),
    });
    expect(unreserved.findings.map((f) => f.ruleId).sort()).toEqual([
      'api-contract/protobuf-field-no-delete-unless-name-reserved',
      'api-contract/protobuf-field-no-delete-unless-number-reserved',
    ]);
  });

  it('honours breaking.ignore and v1 workspaces (buf.work.yaml)', async () => {
    const work = 'version: v1\ndirectories:\n  - proto\n';
    const module =
      'version: v1\nbreaking:\n  use:\n    - FILE\n  ignore:\n    - acme/orders\n';
    const files = (orders: string) => ({
      ...tree(orders),
      'buf.work.yaml': work,
      'proto/buf.yaml': module,
    });
    const { findings, notes } = await run({
      base: files(ORDERS_V1),
      head: files(ORDERS_V1.replace('  string note = 5;\n', '')),
    });
    expect(notes).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('reads only what the change reaches: its package directory and its imports, transitively', async () => {
    // A file no changed file imports is never read, so a broken one elsewhere does not get in the way.
    const unrelated = {
      'proto/acme/legacy/v1/broken.proto': 'syntax = "proto3";\nmessage {\n',
    };
    const head = ORDERS_V1.replace(
      'int32 quantity = 2;',
      'int64 quantity = 2;',
    );
    const { findings, notes } = await run({
      base: tree(ORDERS_V1, unrelated),
      head: tree(head, unrelated),
    });
    expect(notes).toEqual([]);
    expect(findings.map((f) => f.ruleId)).toEqual([
      'api-contract/protobuf-field-same-type',
    ]);
  });

  it("never lets the repository's buf.yaml run a plugin or fetch dependencies", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'protobuf-plugin-'));
    const marker = join(dir, 'ran');
    const script = join(dir, 'plugin.sh');
    writeFileSync(script, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    const config = `version: v2\nmodules:\n  - path: proto\nplugins:\n  - plugin: ${script}\ndeps:\n  - buf.build/acme/never-fetched\nbreaking:\n  use:\n    - FILE\n`;
    try {
      const head = ORDERS_V1.replace(
        'int32 quantity = 2;',
        'int64 quantity = 2;',
      );
      const { findings, notes } = await run({
        base: tree(ORDERS_V1, { 'buf.yaml': config }),
        head: tree(head, { 'buf.yaml': config }),
      });
      expect(notes).toEqual([]);
      expect(findings.map((f) => f.ruleId)).toEqual([
        'api-contract/protobuf-field-same-type',
      ]);
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a deleted file at file level', async () => {
    const base = tree(ORDERS_V1, {
      'proto/acme/orders/v1/legacy.proto':
        'syntax = "proto3";\npackage acme.orders.v1;\nmessage Legacy { string id = 1; }\n',
    });
    const { findings } = await run({ base, head: tree(ORDERS_V1) }, [
      'proto/acme/orders/v1/legacy.proto',
    ]);
    expect(findings.map((f) => [f.ruleId, f.path, f.lines])).toEqual([
      [
        'api-contract/protobuf-file-no-delete',
        'proto/acme/orders/v1/legacy.proto',
        undefined,
      ],
    ]);
  });

  it('says in coverage when buf cannot build a revision, instead of passing the file', async () => {
    const { findings, notes } = await run({
      base: tree(ORDERS_V1),
      head: tree(ORDERS_V1.replace('message Order {', 'message Order {{')),
    });
    expect(findings).toEqual([]);
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toMatch(
      /^not checked for breaking changes: buf could not compare/,
    );
    expect(notes[0]!.message).not.toMatch(/architect-buf-/);
  });

  it('says in coverage when buf times out', async () => {
    const slow = createProtobufAnalyzer({ timeoutMs: 1 });
    const { notes } = await slow.analyze(
      analyzerInput(
        {
          base: tree(ORDERS_V1),
          head: tree(ORDERS_V1.replace('int32', 'int64')),
        },
        [{ path: 'proto/acme/orders/v1/orders.proto' }],
      ),
    );
    expect(notes[0]?.message).toMatch(/timed out/);
  });

  it('says in coverage when there is no buf binary', async () => {
    const missing = createProtobufAnalyzer({ binary: '/nonexistent/buf' });
    const { notes } = await missing.analyze(
      analyzerInput(
        {
          base: tree(ORDERS_V1),
          head: tree(ORDERS_V1.replace('int32', 'int64')),
        },
        [{ path: 'proto/acme/orders/v1/orders.proto' }],
      ),
    );
    expect(notes[0]?.message).toMatch(/could not start buf/);
  });

  it('does nothing when the API-contract lens is off', async () => {
    const input = analyzerInput(
      {
        base: tree(ORDERS_V1),
        head: tree(ORDERS_V1.replace('int32', 'int64')),
      },
      [{ path: 'proto/acme/orders/v1/orders.proto' }],
      { lenses: ['security'] },
    );
    expect(await analyzer.analyze(input)).toEqual({ findings: [], notes: [] });
  });
});

describe('generated protobuf code', () => {
  const generated = (body: string) =>
    `// Code generated by protoc-gen-go. DO NOT EDIT.\n// versions:\n// \tprotoc-gen-go v1.36.0\n// source: acme/orders/v1/orders.proto\n\npackage ordersv1\n\n${body}\n`;

  it('flags generated code changed without its .proto file [+api-contract/protobuf-generated-code-edited]', async () => {
    const revisions = {
      base: {
        ...tree(ORDERS_V1),
        'gen/go/acme/orders/v1/orders.pb.go': generated('type Order struct{}'),
      },
      head: {
        ...tree(ORDERS_V1),
        'gen/go/acme/orders/v1/orders.pb.go': generated(
          'type Order struct{ Hacked bool }',
        ),
      },
    };
    const { findings } = await analyzer.analyze(
      analyzerInput(revisions, [
        { path: 'gen/go/acme/orders/v1/orders.pb.go' },
      ]),
    );
    expect(findings.map((f) => [f.ruleId, f.path, f.severity])).toEqual([
      [
        'api-contract/protobuf-generated-code-edited',
        'gen/go/acme/orders/v1/orders.pb.go',
        'medium',
      ],
    ]);
    expect(findings[0]!.lines).toEqual({ start: 8, end: 8, side: 'RIGHT' });
  });

  it('accepts generated code that changed with its .proto, and a regeneration by a newer plugin', async () => {
    const head = ORDERS_V1.replace('int32', 'int64');
    const withProto = await analyzer.analyze(
      analyzerInput(
        {
          base: {
            ...tree(ORDERS_V1),
            'gen/go/acme/orders/v1/orders.pb.go': generated('int32'),
          },
          head: {
            ...tree(head),
            'gen/go/acme/orders/v1/orders.pb.go': generated('int64'),
          },
        },
        [
          { path: 'proto/acme/orders/v1/orders.proto' },
          { path: 'gen/go/acme/orders/v1/orders.pb.go' },
        ],
      ),
    );
    expect(withProto.findings.map((f) => f.ruleId)).toEqual([
      'api-contract/protobuf-field-same-type',
    ]);
    const bumped = await analyzer.analyze(
      analyzerInput(
        {
          base: { 'gen/go/acme/orders/v1/orders.pb.go': generated('x') },
          head: {
            'gen/go/acme/orders/v1/orders.pb.go': generated('y').replace(
              'v1.36.0',
              'v1.36.5',
            ),
          },
        },
        [{ path: 'gen/go/acme/orders/v1/orders.pb.go' }],
      ),
    );
    expect(bumped.findings).toEqual([]);
  });

  it('accepts generated code of an untouched service regenerated with the module when another .proto changed [-api-contract/protobuf-generated-code-edited]', async () => {
    const billing =
      'syntax = "proto3";\npackage acme.billing.v1;\nmessage Invoice { string id = 1; }\n';
    const { findings } = await analyzer.analyze(
      analyzerInput(
        {
          base: {
            ...tree(ORDERS_V1),
            'proto/acme/billing/v1/billing.proto': billing,
            'gen/go/acme/orders/v1/orders.pb.go': generated(
              'type Order struct{}',
            ),
          },
          head: {
            ...tree(ORDERS_V1),
            'proto/acme/billing/v1/billing.proto': billing.replace(
              'string id = 1;',
              'string id = 1;\n  string note = 2;',
            ),
            'gen/go/acme/orders/v1/orders.pb.go': generated(
              'type Order struct{ state protoimpl.MessageState }',
            ),
          },
        },
        [
          { path: 'proto/acme/billing/v1/billing.proto' },
          { path: 'gen/go/acme/orders/v1/orders.pb.go' },
        ],
      ),
    );
    expect(
      findings.filter(
        (f) => f.ruleId === 'api-contract/protobuf-generated-code-edited',
      ),
    ).toEqual([]);
  });

  it('notes a .proto changed while its committed generated code was not regenerated', async () => {
    const gen = {
      'gen/go/acme/orders/v1/orders.pb.go': generated('type Order struct{}'),
    };
    const { findings } = await run({
      base: { ...tree(ORDERS_V1), ...gen },
      head: {
        ...tree(
          ORDERS_V1.replace(
            '  string note = 5;\n',
            '  string note = 5;\n  string coupon = 6;\n',
          ),
        ),
        ...gen,
      },
    });
    expect(findings.map((f) => [f.ruleId, f.severity, f.path])).toEqual([
      [
        'api-contract/protobuf-generated-code-not-updated',
        'low',
        'proto/acme/orders/v1/orders.proto',
      ],
    ]);
  });
});
