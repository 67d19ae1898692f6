import type { ApiChange } from './diff/change.ts';
import type { LoadedSpec } from './load/load-spec.ts';
import { buildSpec, type Spec } from './model/spec.ts';
import { CheckContext } from './checks/context.ts';
import {
  checkAddedEndpoints,
  checkEndpointDeprecation,
  checkEndpointSunset,
  checkRemovedEndpoints,
  checkWebhooks,
} from './checks/endpoints.ts';
import { checkParameters } from './checks/parameters.ts';
import { checkRequestBodies, checkResponses } from './checks/bodies.ts';
import {
  checkSecurityRequirements,
  checkSecuritySchemes,
} from './checks/security.ts';

export interface CompareOptions {
  /** "Today" for sunset dates; tests pin it. */
  now?: Date;
}

/**
 * Classifies every difference between two versions of an API description. Either side may be
 * absent (a spec added or deleted in the change).
 */
export function compareSpecs(
  base: LoadedSpec | undefined,
  head: LoadedSpec | undefined,
  options: CompareOptions = {},
): ApiChange[] {
  const ctx = new CheckContext(
    base ? buildSpec(base) : emptySpec(),
    head ? buildSpec(head) : emptySpec(),
    options.now ?? new Date(),
  );
  checkRemovedEndpoints(ctx);
  checkAddedEndpoints(ctx);
  checkEndpointDeprecation(ctx);
  checkEndpointSunset(ctx);
  checkWebhooks(ctx);
  checkParameters(ctx);
  checkRequestBodies(ctx);
  checkResponses(ctx);
  checkSecurityRequirements(ctx);
  checkSecuritySchemes(ctx);
  return ctx.changes;
}

function emptySpec(): Spec {
  const source: LoadedSpec = {
    path: '',
    revision: 'base',
    document: {},
    files: new Map(),
    origins: new WeakMap(),
    refs: new WeakMap(),
  };
  return buildSpec(source);
}
