import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';

/** A schema the repository's GraphQL tooling declares: the SDL files its `schema:` globs match. */
export interface SchemaProject {
  /** The config file that declares it, with the project name for multi-project configs. */
  key: string;
  matches(path: string): boolean;
}

/** gqlgen's config and graphql-config's file names (used by graphql-codegen, GraphQL LSP and others). */
const CONFIG_FILE =
  /(?:^|\/)(?:gqlgen\.ya?ml|\.graphqlrc(?:\.ya?ml|\.json)?|graphql\.config\.(?:ya?ml|json))$/;

export const isSchemaConfigFile = (path: string): boolean =>
  CONFIG_FILE.test(path);

/** Local file globs only: URLs and introspection endpoints name no file of the repository. */
function globsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter(
    (glob): glob is string =>
      typeof glob === 'string' &&
      glob.length > 0 &&
      glob.length <= 300 &&
      !glob.includes('://'),
  );
}

function join(folder: string, glob: string): string {
  const relative = glob.replace(/^\.\//, '');
  return folder ? `${folder}/${relative}` : relative;
}

/**
 * The schema projects one config file declares (`schema:` at the top, and under each of
 * graphql-config's `projects:`), with globs taken relative to the config's folder. A config that
 * does not parse declares none: the SDL files then fall back to their folder.
 */
export function readSchemaConfig(path: string, text: string): SchemaProject[] {
  let config: unknown;
  try {
    config = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch {
    return [];
  }
  if (typeof config !== 'object' || config === null) return [];
  const slash = path.lastIndexOf('/');
  const folder = slash < 0 ? '' : path.slice(0, slash);
  const entries: Array<[string, unknown]> = [[path, config]];
  const projects = (config as { projects?: unknown }).projects;
  if (typeof projects === 'object' && projects !== null)
    for (const [name, project] of Object.entries(projects))
      entries.push([`${path}#${name}`, project]);
  const found: SchemaProject[] = [];
  for (const [key, entry] of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    const globs = globsOf((entry as { schema?: unknown }).schema).map((glob) =>
      join(folder, glob),
    );
    if (globs.length === 0) continue;
    found.push({ key, matches: picomatch(globs, { dot: true }) });
  }
  return found;
}
