import {
  asArray,
  asString,
  isTrue,
  jsonKey,
  show,
  type JsonObject,
} from '../model/json.ts';
import type { ChangeSink } from './context.ts';
import { emit, type Node } from './schema-node.ts';
import { enumKeys, isNullable } from './schema-facts.ts';
import {
  describeType,
  isStronglyTyped,
  requestTypeWidens,
  responseTypeNarrows,
  typeChangeOf,
} from './types.ts';

// Rules about the values a schema node accepts or returns: type, nullability, enum, pattern, default.

export function checkDefault(ctx: ChangeSink, node: Node): void {
  if (!node.diff.changed.has('default')) return;
  const before = node.diff.base.default;
  const after = node.diff.head.default;
  if (before === undefined)
    emit(ctx, node, `${node.prefix}-default-value-added`, 'head', 'default', {
      to: show(after),
    });
  else if (after === undefined)
    emit(ctx, node, `${node.prefix}-default-value-removed`, 'base', 'default', {
      from: show(before),
    });
  else
    emit(ctx, node, `${node.prefix}-default-value-changed`, 'head', 'default', {
      from: show(before),
      to: show(after),
    });
}

/** Types added to or dropped from a union written as oneOf/anyOf; the catalog knows which direction breaks whom. */
export function checkListOfTypes(
  ctx: ChangeSink,
  node: Node,
  change: { added: string[]; deleted: string[] },
): void {
  if (change.deleted.length > 0)
    emit(
      ctx,
      node,
      `${node.prefix}-list-of-types-narrowed`,
      'head',
      undefined,
      { value: change.deleted.join(', ') },
    );
  if (change.added.length > 0)
    emit(ctx, node, `${node.prefix}-list-of-types-widened`, 'head', undefined, {
      value: change.added.join(', '),
    });
}

export function checkType(ctx: ChangeSink, node: Node): void {
  const change = typeChangeOf(node.diff);
  if (!change) return;
  const strong = isStronglyTyped(node.scope.mediaType);
  const facts = {
    from: describeType(change.fromTypes, change.fromFormat),
    to: describeType(change.toTypes, change.toFormat),
  };
  const key = change.typeChanged ? 'type' : 'format';
  // In text formats (XML, forms) any scalar can be read as a string: such changes are compatible
  // there even though they would break a JSON client.
  const looseOnly = (strict: boolean, loose: boolean) =>
    !strong && !strict && loose;
  let id: string;
  if (node.scope.direction === 'request') {
    const strict = requestTypeWidens(change, true);
    if (strict) id = 'type-generalized';
    else if (looseOnly(strict, requestTypeWidens(change, false)))
      id = 'type-compatible';
    else id = 'type-changed';
  } else {
    if (node.diff.head.writeOnly === true && !node.body) return;
    if (responseTypeNarrows(change, true)) id = 'type-specialized';
    else if (requestTypeWidens(change, true)) id = 'type-generalized';
    else if (
      looseOnly(
        false,
        responseTypeNarrows(change, false) || requestTypeWidens(change, false),
      )
    )
      id = 'type-compatible';
    else id = 'type-changed';
  }
  emit(ctx, node, `${node.prefix}-${id}`, 'head', key, facts);
}

export function checkNullable(ctx: ChangeSink, node: Node): void {
  const before = isNullable(node.diff.base);
  const after = isNullable(node.diff.head);
  if (before === after) return;
  const key = node.diff.changed.has('nullable') ? 'nullable' : 'type';
  if (after) emit(ctx, node, `${node.prefix}-became-nullable`, 'head', key, {});
  else emit(ctx, node, `${node.prefix}-became-not-nullable`, 'head', key, {});
}

export function checkEnum(
  ctx: ChangeSink,
  node: Node,
  readOnlyRequest: boolean,
): void {
  if (!node.diff.changed.has('enum')) return;
  const before = enumKeys(node.diff.base);
  const after = enumKeys(node.diff.head);
  const beforeSet = new Set(before);
  const afterSet = new Set(after);
  const values = (keys: string[], from: JsonObject) =>
    keys.map((key) => show(asArray(from.enum).find((v) => jsonKey(v) === key)));
  if (node.scope.direction === 'request') {
    if (before.length === 0 && after.length > 0) {
      emit(ctx, node, `${node.prefix}-became-enum`, 'head', 'enum', {});
      return;
    }
    if (after.length === 0) return;
    const prefix = readOnlyRequest ? 'request-read-only-property' : node.prefix;
    for (const value of values(
      before.filter((k) => !afterSet.has(k)),
      node.diff.base,
    ))
      emit(ctx, node, `${prefix}-enum-value-removed`, 'base', 'enum', {
        value,
      });
    if (before.length > 0)
      for (const value of values(
        after.filter((k) => !beforeSet.has(k)),
        node.diff.head,
      ))
        emit(ctx, node, `${node.prefix}-enum-value-added`, 'head', 'enum', {
          value,
        });
    return;
  }
  if (before.length === 0) return;
  const writeOnly = !node.body && isTrue(node.diff.head.writeOnly);
  const addedPrefix = writeOnly ? 'response-write-only-property' : node.prefix;
  if (after.length > 0)
    for (const value of values(
      after.filter((k) => !beforeSet.has(k)),
      node.diff.head,
    ))
      emit(ctx, node, `${addedPrefix}-enum-value-added`, 'head', 'enum', {
        value,
      });
  const removedId = node.body
    ? 'response-mediatype-enum-value-removed'
    : `${node.prefix}-enum-value-removed`;
  for (const value of values(
    before.filter((k) => !afterSet.has(k)),
    node.diff.base,
  ))
    emit(ctx, node, removedId, 'base', 'enum', { value });
}

/** A pattern that matches everything is no constraint at all. */
const ANY_PATTERN = new Set(['.*', '^.*$']);

export function checkPattern(ctx: ChangeSink, node: Node): void {
  if (!node.diff.changed.has('pattern')) return;
  // An empty pattern constrains nothing, like no pattern at all.
  const before = asString(node.diff.base.pattern) || undefined;
  const after = asString(node.diff.head.pattern) || undefined;
  if (before === after) return;
  if (before === undefined && after !== undefined)
    emit(ctx, node, `${node.prefix}-pattern-added`, 'head', 'pattern', {
      value: after,
    });
  else if (before !== undefined && after === undefined)
    emit(ctx, node, `${node.prefix}-pattern-removed`, 'base', 'pattern', {
      value: before,
    });
  else if (after !== undefined && ANY_PATTERN.has(after))
    emit(ctx, node, `${node.prefix}-pattern-generalized`, 'head', 'pattern', {
      from: before,
      to: after,
    });
  else
    emit(ctx, node, `${node.prefix}-pattern-changed`, 'head', 'pattern', {
      from: before,
      to: after,
    });
}

export function checkExtensibleEnum(ctx: ChangeSink, node: Node): void {
  if (!node.diff.changed.has('x-extensible-enum')) return;
  const after = new Set(
    asArray(node.diff.head['x-extensible-enum']).map(jsonKey),
  );
  for (const value of asArray(node.diff.base['x-extensible-enum'])) {
    if (!after.has(jsonKey(value)))
      emit(
        ctx,
        node,
        `${node.prefix}-x-extensible-enum-value-removed`,
        'base',
        'x-extensible-enum',
        { value: show(value) },
      );
  }
}
