import type { ApiChange, Facts, Location } from '../diff/change.ts';
import { childPointer } from '../load/source-file.ts';
import { deepEqual, type EqualityMemo } from '../diff/deep-equal.ts';
import { SchemaDiffer, type SchemaDiff } from '../diff/schema-diff.ts';
import { isKnownRule, levelOf } from '../rules/catalog.ts';
import type {
  MediaType,
  Operation,
  Parameter,
  PathEntry,
  Response,
  Spec,
} from '../model/spec.ts';
import { readStability, stabilityRank } from './lifecycle.ts';

export interface OperationPair {
  /** The head path template (base and head may name path parameters differently). */
  path: string;
  method: string;
  base: Operation;
  head: Operation;
}

export interface PathPair {
  path: string;
  base: PathEntry;
  head: PathEntry;
}

export interface ParameterPair {
  base: Parameter;
  head: Parameter;
}

export interface MediaTypePair {
  name: string;
  base: MediaType;
  head: MediaType;
}

export interface ResponsePair {
  status: string;
  base: Response;
  head: Response;
}

export interface Emit {
  operation?: { method: string; path: string } | undefined;
  side: 'base' | 'head';
  nodes: unknown[];
  key?: string;
  facts?: Facts;
}

/** `/pets/{id}` and `/pets/{petId}` are one endpoint: parameter names do not reach the wire. */
export function normalizePath(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}');
}

/** Where checks report to: the context itself, or a recorder whose changes are replayed per operation. */
export interface ChangeSink {
  readonly now: Date;
  knows(id: string): boolean;
  emitIfKnown(id: string, change: Emit): void;
}

/** Everything the checks share for one pair of documents. */
export class CheckContext implements ChangeSink {
  readonly base: Spec;
  readonly head: Spec;
  readonly differ: SchemaDiffer;
  readonly now: Date;
  readonly changes: ApiChange[] = [];
  readonly pathPairs: PathPair[] = [];
  readonly removedPaths: PathEntry[] = [];
  readonly addedPaths: PathEntry[] = [];
  /** Operations present on both sides that differ, without those below the beta stability level. */
  readonly operations: OperationPair[] = [];

  private readonly equal: EqualityMemo = new Map();
  private readonly recorded = new Map<SchemaDiff, Map<string, ApiChange[]>>();

  constructor(base: Spec, head: Spec, now: Date) {
    this.base = base;
    this.head = head;
    this.now = now;
    this.differ = new SchemaDiffer(
      (node) => base.source.refs.get(node) ?? head.source.refs.get(node),
    );
    this.pairPaths();
  }

  emit(id: string, change: Emit): void {
    this.changes.push(this.toChange(id, change));
  }

  private toChange(id: string, change: Emit): ApiChange {
    return {
      id,
      level: levelOf(id),
      operation: change.operation,
      side: change.side,
      location: this.locate(change),
      facts: change.facts ?? {},
    };
  }

  /**
   * Runs `check` on a schema diff once per diff, direction and media type, and replays what it
   * found for every operation and status that uses the same schemas: many operations share a
   * component, and checking it again for each would make the work grow with their product.
   */
  replaySchemaChecks(
    diff: SchemaDiff,
    variant: string,
    check: (sink: ChangeSink) => void,
    operation: { method: string; path: string },
    status: string | undefined,
  ): void {
    let byVariant = this.recorded.get(diff);
    if (!byVariant) this.recorded.set(diff, (byVariant = new Map()));
    let recorded = byVariant.get(variant);
    if (!recorded) {
      const list: ApiChange[] = [];
      check({
        now: this.now,
        knows: isKnownRule,
        emitIfKnown: (id, change) =>
          isKnownRule(id) && list.push(this.toChange(id, change)),
      });
      byVariant.set(variant, (recorded = list));
    }
    for (const change of recorded) {
      this.changes.push({
        ...change,
        operation,
        facts:
          status === undefined ? change.facts : { ...change.facts, status },
      });
    }
  }

  /** The first node whose source is known; a keyword below it narrows the pointer to that line. */
  private locate(change: Emit): Location | undefined {
    const spec = change.side === 'head' ? this.head : this.base;
    for (const [index, node] of change.nodes.entries()) {
      const origin = spec.originOf(node);
      if (!origin) continue;
      const pointer =
        index === 0 && change.key
          ? childPointer(origin.pointer, change.key)
          : origin.pointer;
      return { path: origin.path, pointer };
    }
    return spec.source.path
      ? { path: spec.source.path, pointer: '' }
      : undefined;
  }

  /** Emits only ids the catalog lists: generic checks build ids from parts, not every combination is a rule. */
  emitIfKnown(id: string, change: Emit): void {
    if (isKnownRule(id)) this.emit(id, change);
  }

  knows(id: string): boolean {
    return isKnownRule(id);
  }

  schemaDiff(base: unknown, head: unknown): SchemaDiff | undefined {
    return this.differ.diff(base, head);
  }

  private pairPaths(): void {
    const headByKey = new Map<string, PathEntry>();
    for (const entry of this.head.paths.values())
      if (!headByKey.has(normalizePath(entry.path)))
        headByKey.set(normalizePath(entry.path), entry);
    const matched = new Set<PathEntry>();
    for (const entry of this.base.paths.values()) {
      const twin = headByKey.get(normalizePath(entry.path));
      if (twin && !matched.has(twin)) {
        matched.add(twin);
        this.pathPairs.push({ path: twin.path, base: entry, head: twin });
      } else this.removedPaths.push(entry);
    }
    for (const entry of this.head.paths.values())
      if (!matched.has(entry)) this.addedPaths.push(entry);

    for (const pair of this.pathPairs) {
      for (const [method, base] of pair.base.operations) {
        const head = pair.head.operations.get(method);
        if (!head) continue;
        const operation = { path: pair.path, method, base, head };
        if (
          deepEqual(base.node, head.node, this.equal) &&
          deepEqual(
            pair.base.node.parameters,
            pair.head.node.parameters,
            this.equal,
          )
        )
          continue;
        if (this.keepForChecks(operation)) this.operations.push(operation);
      }
    }
  }

  /**
   * Draft and alpha operations carry no compatibility promise, so their changes are not checked;
   * an operation whose stability level went down is reported as such instead of change by change.
   */
  private keepForChecks(operation: OperationPair): boolean {
    const at = { method: operation.method, path: operation.path };
    const before = readStability(operation.base.node);
    if (!before.ok) {
      this.emit('api-invalid-stability-level', {
        operation: at,
        side: 'base',
        nodes: [operation.base.node],
        key: 'x-stability-level',
        facts: { detail: before.error },
      });
      return true;
    }
    const after = readStability(operation.head.node);
    if (!after.ok) {
      this.emit('api-invalid-stability-level', {
        operation: at,
        side: 'head',
        nodes: [operation.head.node],
        key: 'x-stability-level',
        facts: { detail: after.error },
      });
      return true;
    }
    if (
      before.level !== undefined &&
      (after.level === undefined ||
        stabilityRank(after.level) < stabilityRank(before.level))
    ) {
      this.emit('api-stability-decreased', {
        operation: at,
        side: 'head',
        nodes: [operation.head.node],
        key: 'x-stability-level',
        facts: { from: before.level, to: after.level ?? 'none' },
      });
      return false;
    }
    return after.level !== 'draft' && after.level !== 'alpha';
  }
}

export function operationRef(operation: OperationPair): {
  method: string;
  path: string;
} {
  return { method: operation.method, path: operation.path };
}

/** Positions of path parameters in a template, so a renamed path parameter still pairs up. */
function pathParameterPositions(path: string): Map<string, number> {
  const positions = new Map<string, number>();
  let index = 0;
  for (const match of path.matchAll(/\{([^}]*)\}/g))
    positions.set(match[1]!, index++);
  return positions;
}

/** Parameters pair up by location and name; path parameters by their place in the path. */
export function pairParameters(operation: OperationPair): {
  pairs: ParameterPair[];
  removed: Parameter[];
  added: Parameter[];
} {
  const basePositions = pathParameterPositions(operation.base.path);
  const headPositions = pathParameterPositions(operation.head.path);
  const keyOf = (parameter: Parameter, positions: Map<string, number>) => {
    const position =
      parameter.in === 'path' ? positions.get(parameter.name) : undefined;
    if (position !== undefined) return `path\u0000#${position}`;
    // HTTP header names are case-insensitive; every other location is not.
    return `${parameter.in}\u0000${parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name}`;
  };
  const heads = new Map<string, Parameter>();
  for (const parameter of operation.head.parameters)
    heads.set(keyOf(parameter, headPositions), parameter);
  const pairs: ParameterPair[] = [];
  const removed: Parameter[] = [];
  const matched = new Set<Parameter>();
  for (const parameter of operation.base.parameters) {
    const twin = heads.get(keyOf(parameter, basePositions));
    if (twin && !matched.has(twin)) {
      matched.add(twin);
      pairs.push({ base: parameter, head: twin });
    } else removed.push(parameter);
  }
  return {
    pairs,
    removed,
    added: operation.head.parameters.filter((p) => !matched.has(p)),
  };
}

export function pairMediaTypes(
  base: Map<string, MediaType>,
  head: Map<string, MediaType>,
): { pairs: MediaTypePair[]; removed: MediaType[]; added: MediaType[] } {
  const pairs: MediaTypePair[] = [];
  const removed: MediaType[] = [];
  for (const [name, media] of base) {
    const twin = head.get(name);
    if (twin) pairs.push({ name, base: media, head: twin });
    else removed.push(media);
  }
  return {
    pairs,
    removed,
    added: [...head.values()].filter((m) => !base.has(m.name)),
  };
}

export function pairResponses(operation: OperationPair): {
  pairs: ResponsePair[];
  removed: Response[];
  added: Response[];
} {
  const pairs: ResponsePair[] = [];
  const removed: Response[] = [];
  for (const [status, response] of operation.base.responses) {
    const twin = operation.head.responses.get(status);
    if (twin) pairs.push({ status, base: response, head: twin });
    else removed.push(response);
  }
  return {
    pairs,
    removed,
    added: [...operation.head.responses.values()].filter(
      (r) => !operation.base.responses.has(r.status),
    ),
  };
}
