/**
 * Reviews the bundled example: builds a throwaway git repository under .example-repo/ from the two
 * snapshots of examples/orders-service and runs `architect review` on it, exiting with its code.
 * Extra arguments go to the review, e.g. `npm run example -- --format sarif`.
 */
import { join } from 'node:path';
import { main } from '../src/cli/main.ts';
import {
  buildExampleRepo,
  EXAMPLE_BASE_BRANCH,
  EXAMPLE_HEAD_BRANCH,
  ROOT,
} from './example-repo.ts';

const target = join(ROOT, '.example-repo');
try {
  await buildExampleRepo(target);
} catch (error) {
  process.stderr.write(
    `example: could not build ${target}: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(2);
}
process.exitCode = await main([
  'review',
  '--repo',
  target,
  '--base',
  EXAMPLE_BASE_BRANCH,
  '--head',
  EXAMPLE_HEAD_BRANCH,
  ...process.argv.slice(2),
]);
