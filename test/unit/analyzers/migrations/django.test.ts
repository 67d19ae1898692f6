import { describe, expect, it } from 'vitest';
import { lines } from './builder.ts';
import { analyze, only, summary } from './helpers.ts';

/** A Django migration; operation lines start at line 5. */
const migration = (operations: string[], extra: string[] = []): string =>
  lines(
    'from django.db import migrations, models',
    'class Migration(migrations.Migration):',
    ...extra.map((l) => `    ${l}`),
    '    dependencies = [("shop", "0001_initial")]',
    '    operations = [',
    ...operations.map((l) => `        ${l}`),
    '    ]',
    '',
  );

const path = 'shop/migrations/0002_changes.py';

describe('Django migrations', () => {
  it('flags risky operations with the app table name', async () => {
    const { findings, notes } = await analyze([
      {
        path,
        head: migration([
          'migrations.AddField(model_name="order", name="total", field=models.IntegerField()),',
          'migrations.RemoveField(model_name="order", name="note"),',
          'migrations.RenameField(model_name="order", old_name="ref", new_name="reference"),',
          'migrations.RenameModel(old_name="Order", new_name="Purchase"),',
          'migrations.DeleteModel(name="Coupon"),',
          'migrations.AddIndex(model_name="order", index=models.Index(fields=["total"], name="order_total_idx")),',
          'migrations.RemoveIndex(model_name="order", name="order_old_idx"),',
          'migrations.AddConstraint(model_name="order", constraint=models.CheckConstraint(check=models.Q(total__gte=0), name="total_gte_0")),',
          'migrations.AddConstraint(model_name="order", constraint=models.UniqueConstraint(fields=["reference"], name="uniq_ref")),',
        ]),
      },
    ]);
    expect(notes).toEqual([]);
    expect(summary(findings)).toEqual(
      [
        'schema/adding-required-field@5',
        'schema/ban-drop-column@6',
        'schema/renaming-column@7',
        'schema/renaming-table@8',
        'schema/ban-drop-table@9',
        'schema/require-concurrent-index-creation@10',
        'schema/require-concurrent-index-deletion@11',
        'schema/constraint-missing-not-valid@12',
        'schema/disallowed-unique-constraint@13',
      ].sort(),
    );
    expect(only(findings, 'schema/adding-required-field')[0]!.title).toBe(
      '`shop_order.total` is added as NOT NULL without a default',
    );
    expect(
      only(findings, 'schema/require-concurrent-index-creation')[0]!.fix,
    ).toContain('AddIndexConcurrently');
  });

  it('accepts nullable fields, defaults, concurrent operations and state-only changes', async () => {
    const { findings } = await analyze([
      {
        path,
        head: migration([
          'migrations.AddField(model_name="order", name="total", field=models.IntegerField(null=True)),',
          'migrations.AddField(model_name="order", name="count", field=models.IntegerField(default=0)),',
          'migrations.AddField(model_name="order", name="tags", field=models.ManyToManyField(to="shop.tag")),',
          'AddIndexConcurrently(model_name="order", index=models.Index(fields=["total"], name="order_total_idx")),',
          'migrations.SeparateDatabaseAndState(state_operations=[migrations.RemoveField(model_name="order", name="note")]),',
        ]),
      },
    ]);
    expect(summary(findings)).toEqual([]);
  });

  it('skips index rules for a model created in the same change', async () => {
    const { findings } = await analyze([
      {
        path,
        head: migration([
          'migrations.CreateModel(name="Tag", fields=[("id", models.BigAutoField(primary_key=True))]),',
          'migrations.AddField(model_name="tag", name="label", field=models.CharField(max_length=20)),',
          'migrations.AddIndex(model_name="tag", index=models.Index(fields=["label"], name="tag_label_idx")),',
        ]),
      },
    ]);
    expect(summary(findings)).toEqual([]);
  });

  it('compares AlterField with the model at the base revision', async () => {
    const models = lines(
      'from django.db import models',
      'class Order(models.Model):',
      '    total = models.IntegerField(null=True)',
      '    note = models.TextField(null=True)',
      '',
    );
    const { findings } = await analyze(
      [
        {
          path,
          head: migration([
            'migrations.AlterField(model_name="order", name="total", field=models.BigIntegerField(null=True)),',
            'migrations.AlterField(model_name="order", name="note", field=models.TextField()),',
            'migrations.AlterField(model_name="order", name="unknown", field=models.TextField()),',
          ]),
        },
      ],
      { unchanged: { 'shop/models.py': models } },
    );
    expect(summary(findings)).toEqual([
      'schema/adding-not-nullable-field@6',
      'schema/changing-column-type@5',
    ]);
    expect(only(findings, 'schema/changing-column-type')[0]!.body).toContain(
      'IntegerField to BigIntegerField',
    );
  });

  it('finds the model in any module of a models/ package', async () => {
    const components = lines(
      'from django.db import models',
      'class ConsolePort(models.Model):',
      '    speed = models.IntegerField(null=True)',
      '',
    );
    const head = migration([
      'migrations.AlterField(model_name="consoleport", name="speed", field=models.BigIntegerField(null=True)),',
    ]);
    const { findings } = await analyze([{ path, head }], {
      unchanged: {
        'shop/models/__init__.py': 'from .device_components import *\n',
        'shop/models/device_components.py': components,
      },
    });
    expect(summary(findings)).toEqual(['schema/changing-column-type@5']);
    // A source that cannot list the tree still reads the conventional files, and finds nothing here.
    const unlisted = await analyze([{ path, head }], {
      unchanged: { 'shop/models/device_components.py': components },
      noListing: true,
    });
    expect(summary(unlisted.findings)).toEqual([]);
  });

  it('lints RunSQL with squawk, outside a transaction when atomic = False', async () => {
    const sql =
      'migrations.RunSQL("CREATE INDEX CONCURRENTLY order_total_idx ON shop_order (total);", reverse_sql=migrations.RunSQL.noop),';
    const inTransaction = await analyze([{ path, head: migration([sql]) }]);
    expect(
      summary(
        only(
          inTransaction.findings,
          'schema/ban-concurrent-index-creation-in-transaction',
        ),
      ),
    ).toEqual(['schema/ban-concurrent-index-creation-in-transaction@5']);
    const atomicOff = await analyze([
      { path, head: migration([sql], ['atomic = False']) },
    ]);
    expect(
      only(
        atomicOff.findings,
        'schema/ban-concurrent-index-creation-in-transaction',
      ),
    ).toEqual([]);
  });
});
