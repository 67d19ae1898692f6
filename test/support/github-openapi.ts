import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Validates request bodies against GitHub's own OpenAPI description, so fakes reject what the real
 * API would reject (wrong field names, bad enum values, oversized arrays).
 */
const require = createRequire(import.meta.url);
let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();

function pointer(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

export function validateGitHubBody(
  method: string,
  template: string,
  body: unknown,
): string[] {
  const validate = validatorFor(method, template);
  return validate(body)
    ? []
    : (validate.errors ?? []).map(
        (e) => `${e.instancePath || '/'} ${e.message}`,
      );
}

/** The compiled validator for one operation's request body (compiled once, then cached). */
export function validatorFor(
  method: string,
  template: string,
): ValidateFunction {
  const key = `${method} ${template}`;
  let validate = cache.get(key);
  if (!validate) {
    if (!ajv) {
      ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
      addFormats.default(ajv);
      ajv.addSchema(
        require('@octokit/openapi/generated/api.github.com.json'),
        'gh',
      );
    }
    const ref = `gh#/paths/${pointer(template)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`;
    validate = ajv.compile({ $ref: ref });
    cache.set(key, validate);
  }
  return validate;
}
