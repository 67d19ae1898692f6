/** Files that can hold an OpenAPI or Swagger document. */
export function isSpecCandidatePath(path: string): boolean {
  return /\.(ya?ml|json)$/i.test(path);
}

const YAML_MARKER = /^["']?(?:openapi|swagger)["']?[ \t]*:/m;
const JSON_MARKER = /^\s*\{[\s\S]*?"(?:openapi|swagger)"\s*:/;

/**
 * A cheap look at the text before parsing it: a top-level `openapi:` or `swagger:` key. Nested
 * keys of that name are indented in YAML; the full parse confirms the key sits at the top.
 */
export function looksLikeSpec(text: string): boolean {
  return YAML_MARKER.test(text) || JSON_MARKER.test(text);
}

/** The parsed document really is one: `openapi` or `swagger` at its top level. */
export function isSpecDocument(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return false;
  const document = value as Record<string, unknown>;
  return document.openapi !== undefined || document.swagger !== undefined;
}

const FRAGMENT_MARKER =
  /^\s*["']?(?:\$ref|type|properties|allOf|oneOf|anyOf|schemas?|parameters|responses|requestBody|components|definitions|get|put|post|patch|delete)["']?\s*:/m;

/**
 * A YAML/JSON file that may be part of a spec split over several files: it holds schema or
 * operation keywords somewhere. Cheap, and wrong only in the direction of looking further.
 */
export function looksLikeFragment(text: string): boolean {
  return FRAGMENT_MARKER.test(text);
}
