import pkg from '../../package.json' with { type: 'json' };

/** The version users see in `architect --version` and SARIF output. */
export const VERSION: string = pkg.version;
