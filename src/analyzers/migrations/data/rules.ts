import type { DocumentedEntry } from '../rule-page.ts';

export const ONE_WAY_REWRITE_RULE = 'schema/irreversible-data-rewrite';

/** Data migrations whose effect no down migration can undo. */
export const DATA_RULES: DocumentedEntry[] = [
  {
    id: ONE_WAY_REWRITE_RULE,
    severity: 'medium',
    title: 'Existing values overwritten with a one-way function of themselves',
    headline: (c) =>
      `\`${c.table}.${c.column}\` is overwritten with a hash of its own value`,
    body: () =>
      'The migration replaces each stored value with a digest of it, and a digest cannot be turned back into the value. A rollback to the previous release, or its down migration, finds hashes where it expects the originals: for API keys, tokens or passwords every client that uses one stops working after a downgrade, and only a backup taken before the upgrade brings the values back.',
    fix: 'Say so in the release notes and ask for a backup before upgrading; to keep a way back for one release, write the digest to a new column, switch reads to it, and drop the old column in a later release.',
    lockAware: false,
    page: {
      detects:
        '`UPDATE … SET col = f(… col …)` in a migration (a SQL file, or SQL an ORM or Go migration executes) where `f` is a one-way function: `digest`, `hmac`, `crypt`, `md5`, `sha1`, `sha2`, `sha224`/`sha256`/`sha384`/`sha512`, `password`.',
      example: {
        language: 'sql',
        code: "UPDATE users SET password = ENCODE(DIGEST(password, 'sha256'), 'hex') WHERE type = 'api';",
      },
      reference:
        'A data change that cannot be reverted; strong_migrations and squawk check schema changes only.',
    },
  },
];
