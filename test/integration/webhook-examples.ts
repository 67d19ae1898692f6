import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, any>>;
}

const require = createRequire(import.meta.url);
const examples: ExampleGroup[] = JSON.parse(
  readFileSync(require.resolve('@octokit/webhooks-examples'), 'utf8'),
);

/** A real `pull_request` payload from @octokit/webhooks-examples (one sent to an installation), deep-copied. */
export function pullRequestExample(action: string): Record<string, any> {
  const group = examples.find((g) => g.name === 'pull_request');
  const example = group?.examples.find(
    (e) => e.action === action && e.installation,
  );
  if (!example)
    throw new Error(`no pull_request.${action} example with an installation`);
  return structuredClone(example);
}
