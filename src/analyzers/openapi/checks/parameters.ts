import type { SchemaDiff } from '../diff/schema-diff.ts';
import { joinPath, walkSchemaDiff } from '../diff/walk.ts';
import {
  asArray,
  asObject,
  asString,
  isTrue,
  jsonKey,
  show,
} from '../model/json.ts';
import type { Parameter } from '../model/spec.ts';
import {
  operationRef,
  pairParameters,
  type CheckContext,
  type OperationPair,
} from './context.ts';
import {
  civilDateOf,
  compareDates,
  formatDate,
  readSunset,
} from './lifecycle.ts';
import { checkBoundsWith } from './schema-rules.ts';
import {
  concreteTypes,
  enumKeys,
  isNullable,
  propertyOf,
  requiredNames,
} from './schema-facts.ts';
import {
  describeType,
  listOfTypesChange,
  requestTypeWidens,
  typeChangeOf,
} from './types.ts';

/** Parameters added, removed, and changed, operation by operation. */
export function checkParameters(ctx: CheckContext): void {
  for (const operation of ctx.operations) {
    const { pairs, removed, added } = pairParameters(operation);
    for (const parameter of removed)
      checkRemovedParameter(ctx, operation, parameter);
    for (const parameter of added)
      checkAddedParameter(ctx, operation, parameter);
    for (const pair of pairs) {
      const report = reporter(ctx, operation, pair.base, pair.head);
      checkRequired(pair.base, pair.head, report);
      checkDeprecation(ctx, pair.base, pair.head, report);
      checkSunset(pair.base, pair.head, report);
      const diff = ctx.schemaDiff(pair.base.schema, pair.head.schema);
      if (diff && !diff.added && !diff.deleted) {
        checkParameterSchema(ctx, pair.head, diff, report);
        checkParameterProperties(pair.head, diff, report);
      }
    }
  }
}

type Report = (
  id: string,
  side: 'base' | 'head',
  node: unknown,
  key?: string,
  facts?: Record<string, string | undefined>,
) => void;

function reporter(
  ctx: CheckContext,
  operation: OperationPair,
  base: Parameter,
  head: Parameter | undefined,
): Report {
  return (id, side, node, key, facts = {}) =>
    ctx.emitIfKnown(id, {
      operation: operationRef(operation),
      side,
      nodes: [node, side === 'head' && head ? head.node : base.node],
      key,
      facts: {
        parameter: (head ?? base).name,
        location: (head ?? base).in,
        ...facts,
      },
    });
}

function checkRemovedParameter(
  ctx: CheckContext,
  operation: OperationPair,
  parameter: Parameter,
): void {
  const report = reporter(ctx, operation, parameter, undefined);
  if (!isTrue(parameter.node.deprecated)) {
    report('request-parameter-removed', 'base', parameter.node);
    return;
  }
  const sunset = readSunset(parameter.node);
  if (!sunset.present)
    report(
      'request-parameter-removed-with-deprecation',
      'base',
      parameter.node,
    );
  else if (!sunset.ok)
    report(
      'request-parameter-sunset-parse',
      'base',
      parameter.node,
      'x-sunset',
      { detail: sunset.error },
    );
  else if (compareDates(civilDateOf(ctx.now), sunset.date) < 0)
    report(
      'request-parameter-removed-before-sunset',
      'base',
      parameter.node,
      'x-sunset',
      { value: formatDate(sunset.date) },
    );
}

function checkAddedParameter(
  ctx: CheckContext,
  operation: OperationPair,
  parameter: Parameter,
): void {
  const report = reporter(ctx, operation, parameter, parameter);
  if (parameter.in === 'path')
    report('new-request-path-parameter', 'head', parameter.node);
  else if (parameter.required)
    report('new-required-request-parameter', 'head', parameter.node);
  else report('new-optional-request-parameter', 'head', parameter.node);
}

function checkRequired(base: Parameter, head: Parameter, report: Report): void {
  if (base.required === head.required) return;
  report(
    head.required
      ? 'request-parameter-became-required'
      : 'request-parameter-became-optional',
    'head',
    head.node,
    'required',
  );
}

function checkDeprecation(
  ctx: CheckContext,
  base: Parameter,
  head: Parameter,
  report: Report,
): void {
  const before = isTrue(base.node.deprecated);
  const after = isTrue(head.node.deprecated);
  if (before === after) return;
  if (!after)
    return report(
      'request-parameter-reactivated',
      'head',
      head.node,
      'deprecated',
    );
  const sunset = readSunset(head.node);
  if (
    sunset.present &&
    sunset.ok &&
    compareDates(sunset.date, civilDateOf(ctx.now)) < 0
  ) {
    return report(
      'request-parameter-sunset-date-too-small',
      'head',
      head.node,
      'x-sunset',
      { value: formatDate(sunset.date) },
    );
  }
  if (sunset.present && !sunset.ok)
    return report(
      'request-parameter-sunset-parse',
      'head',
      head.node,
      'x-sunset',
      { detail: sunset.error },
    );
  report('request-parameter-deprecated', 'head', head.node, 'deprecated');
}

function checkSunset(base: Parameter, head: Parameter, report: Report): void {
  if (!isTrue(head.node.deprecated)) return;
  const before = readSunset(base.node);
  const after = readSunset(head.node);
  if (!before.present) return;
  if (!after.present)
    return report(
      'request-parameter-sunset-deleted',
      'base',
      base.node,
      'x-sunset',
    );
  if (String(base.node['x-sunset']) === String(head.node['x-sunset'])) return;
  if (!after.ok)
    return report(
      'request-parameter-sunset-parse',
      'head',
      head.node,
      'x-sunset',
      { detail: after.error },
    );
  if (!before.ok)
    return report(
      'request-parameter-sunset-parse',
      'base',
      base.node,
      'x-sunset',
      { detail: before.error },
    );
  if (compareDates(before.date, after.date) > 0) {
    report(
      'request-parameter-sunset-date-changed-too-small',
      'head',
      head.node,
      'x-sunset',
      { from: formatDate(before.date), to: formatDate(after.date) },
    );
  }
}

function checkParameterSchema(
  ctx: CheckContext,
  head: Parameter,
  diff: SchemaDiff,
  report: Report,
): void {
  const listOfTypes = listOfTypesChange(diff);
  if (listOfTypes) {
    if (listOfTypes.deleted.length > 0)
      report(
        'request-parameter-list-of-types-narrowed',
        'head',
        diff.head,
        undefined,
        { value: listOfTypes.deleted.join(', ') },
      );
    if (listOfTypes.added.length > 0)
      report(
        'request-parameter-list-of-types-widened',
        'head',
        diff.head,
        undefined,
        { value: listOfTypes.added.join(', ') },
      );
  } else {
    const change = typeChangeOf(diff);
    if (change) {
      const widens =
        explodedArrayAcceptsScalar(head, diff) ??
        requestTypeWidens(change, false);
      const id = widens
        ? 'request-parameter-type-generalized'
        : 'request-parameter-type-changed';
      report(id, 'head', diff.head, change.typeChanged ? 'type' : 'format', {
        from: describeType(change.fromTypes, change.fromFormat),
        to: describeType(change.toTypes, change.toFormat),
      });
    }
  }

  checkBoundsWith(
    diff,
    { main: 'request-parameter' },
    (id) => ctx.knows(id),
    (id, keyword, from, to) =>
      report(
        id,
        to === undefined ? 'base' : 'head',
        to === undefined ? diff.base : diff.head,
        keyword,
        { from: show(from), to: show(to) },
      ),
  );
  // maxItems written on the items schema rather than the array is read as the array's, as oasdiff does.
  const items = diff.single.items;
  if (
    !diff.changed.has('maxItems') &&
    items &&
    !items.added &&
    !items.deleted &&
    items.changed.has('maxItems')
  ) {
    const from = items.base.maxItems;
    const to = items.head.maxItems;
    if (typeof from === 'number' && typeof to === 'number') {
      report(
        to < from
          ? 'request-parameter-max-items-decreased'
          : 'request-parameter-max-items-increased',
        'head',
        items.head,
        'maxItems',
        { from: show(from), to: show(to) },
      );
    }
  }
  if (diff.changed.has('enum')) {
    const before = enumKeys(diff.base);
    const after = enumKeys(diff.head);
    if (before.length === 0 && after.length > 0)
      report('request-parameter-became-enum', 'head', diff.head, 'enum');
    else if (after.length > 0) {
      for (const value of asArray(diff.base.enum))
        if (!after.includes(jsonKey(value)))
          report(
            'request-parameter-enum-value-removed',
            'base',
            diff.base,
            'enum',
            { value: show(value) },
          );
      for (const value of asArray(diff.head.enum))
        if (!before.includes(jsonKey(value)))
          report(
            'request-parameter-enum-value-added',
            'head',
            diff.head,
            'enum',
            { value: show(value) },
          );
    }
  }
  if (diff.changed.has('pattern')) {
    const before = asString(diff.base.pattern) || undefined;
    const after = asString(diff.head.pattern) || undefined;
    if (before === after) {
      // Only an empty pattern became absent, or the reverse: no constraint either way.
    } else if (before === undefined && after !== undefined)
      report('request-parameter-pattern-added', 'head', diff.head, 'pattern', {
        value: after,
      });
    else if (before !== undefined && after === undefined)
      report(
        'request-parameter-pattern-removed',
        'base',
        diff.base,
        'pattern',
        { value: before },
      );
    else if (after === '.*')
      report(
        'request-parameter-pattern-generalized',
        'head',
        diff.head,
        'pattern',
        { from: before, to: after },
      );
    else
      report(
        'request-parameter-pattern-changed',
        'head',
        diff.head,
        'pattern',
        { from: before, to: after },
      );
  }
  if (diff.changed.has('default')) {
    const before = diff.base.default;
    const after = diff.head.default;
    if (before === undefined)
      report(
        'request-parameter-default-value-added',
        'head',
        diff.head,
        'default',
        { to: show(after) },
      );
    else if (after === undefined)
      report(
        'request-parameter-default-value-removed',
        'base',
        diff.base,
        'default',
        { from: show(before) },
      );
    else
      report(
        'request-parameter-default-value-changed',
        'head',
        diff.head,
        'default',
        { from: show(before), to: show(after) },
      );
  }
  if (diff.changed.has('x-extensible-enum')) {
    const after = new Set(asArray(diff.head['x-extensible-enum']).map(jsonKey));
    for (const value of asArray(diff.base['x-extensible-enum'])) {
      if (!after.has(jsonKey(value)))
        report(
          'request-parameter-x-extensible-enum-value-removed',
          'base',
          diff.base,
          'x-extensible-enum',
          { value: show(value) },
        );
    }
  }
  const wasNullable = isNullable(diff.base);
  const isNowNullable = isNullable(diff.head);
  if (wasNullable !== isNowNullable)
    report(
      isNowNullable
        ? 'request-parameter-became-nullable'
        : 'request-parameter-became-not-nullable',
      'head',
      diff.head,
      'nullable',
    );
}

/** Keywords that only describe an items schema; anything else constrains the values it accepts. */
const DESCRIPTIVE = new Set([
  'type',
  'format',
  'description',
  'title',
  'example',
  'examples',
  'deprecated',
]);

/**
 * A form-style exploded query or cookie parameter (the default) sends an array of one as
 * `?token=x`, so a scalar turned into an array still accepts every old value when the items accept
 * it. Text carries any scalar as a string. Undefined when the change is not scalar-to-array.
 */
function explodedArrayAcceptsScalar(
  parameter: Parameter,
  diff: SchemaDiff,
): boolean | undefined {
  if (parameter.in !== 'query' && parameter.in !== 'cookie') return undefined;
  const style = parameter.node.style ?? 'form';
  if (style !== 'form' || parameter.node.explode === false) return undefined;
  const before = concreteTypes(diff.base);
  const after = concreteTypes(diff.head);
  if (before.includes('array') || after.length !== 1 || after[0] !== 'array')
    return undefined;
  const items = asObject(diff.head.items);
  if (!items || Object.keys(items).some((key) => !DESCRIPTIVE.has(key)))
    return false;
  const accepted = concreteTypes(items);
  return before.every(
    (type) =>
      accepted.includes(type) ||
      accepted.includes('string') ||
      (type === 'integer' && accepted.includes('number')),
  );
}

/** Object-valued parameters (deepObject query strings, JSON headers) have properties of their own. */
function checkParameterProperties(
  head: Parameter,
  root: SchemaDiff,
  report: Report,
): void {
  const header = head.in === 'header';
  walkSchemaDiff(root, {
    properties: (path, diff) => {
      if (!header) return;
      for (const name of diff.maps.properties!.added) {
        if (requiredNames(diff.head).includes(name))
          report(
            'new-required-request-header-property',
            'head',
            propertyOf(diff.head, name),
            undefined,
            { property: joinPath(path, name) },
          );
      }
    },
    node: ({ path, name, diff, parent }) => {
      const property = joinPath(path, name);
      if (
        header &&
        name !== '' &&
        diff.changed.has('enum') &&
        enumKeys(diff.base).length === 0 &&
        enumKeys(diff.head).length > 0
      ) {
        report(
          'request-header-property-became-enum',
          'head',
          diff.head,
          'enum',
          { property },
        );
      }
      if (
        header &&
        name !== '' &&
        !requiredNames(parent.base).includes(name) &&
        requiredNames(parent.head).includes(name)
      ) {
        report(
          'request-header-property-became-required',
          'head',
          diff.head,
          'required',
          { property },
        );
      }
      if (diff.changed.has('enum')) {
        const before = enumKeys(diff.base);
        const after = enumKeys(diff.head);
        if (before.length > 0 && after.length > 0) {
          for (const value of asArray(diff.base.enum))
            if (!after.includes(jsonKey(value)))
              report(
                'request-parameter-property-enum-value-removed',
                'base',
                diff.base,
                'enum',
                { property, value: show(value) },
              );
          for (const value of asArray(diff.head.enum))
            if (!before.includes(jsonKey(value)))
              report(
                'request-parameter-property-enum-value-added',
                'head',
                diff.head,
                'enum',
                { property, value: show(value) },
              );
        }
      }
      const change = typeChangeOf(diff);
      if (change) {
        // Object parameters travel as JSON or as form-style text; breaking in one and not the other is a warning.
        const strict = !requestTypeWidens(change, true);
        const loose = !requestTypeWidens(change, false);
        const id =
          strict !== loose
            ? 'request-parameter-property-type-changed'
            : strict
              ? 'request-parameter-property-type-specialized'
              : 'request-parameter-property-type-generalized';
        report(id, 'head', diff.head, change.typeChanged ? 'type' : 'format', {
          property,
          from: describeType(change.fromTypes, change.fromFormat),
          to: describeType(change.toTypes, change.toFormat),
        });
      }
      const wasNullable = isNullable(diff.base);
      const nowNullable = isNullable(diff.head);
      if (wasNullable !== nowNullable) {
        report(
          nowNullable
            ? 'request-parameter-property-became-nullable'
            : 'request-parameter-property-became-not-nullable',
          'head',
          diff.head,
          'nullable',
          { property },
        );
      }
    },
  });
}
