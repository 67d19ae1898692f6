#!/usr/bin/env node
// Node strips the TypeScript types of the sources at load time; this shim stays plain JavaScript so
// that an older Node can still say what it needs instead of failing on the first `.ts` import.
if (!process.features.typescript) {
  process.stderr.write(
    `architect: needs a Node.js that runs TypeScript sources (22.18 or newer, 24 recommended); this is Node.js ${process.versions.node}.\n` +
      'In a checkout of architect, `bash scripts/dev.sh typecheck` installs Node 24 into .tools/; then run\n' +
      '  .tools/node_modules/node/bin/node bin/architect.js review ...\n' +
      'or without a checkout: npx -y node@24 <path>/bin/architect.js review ...\n',
  );
  process.exit(2);
}
// Caches compiled code under the system temp directory: later runs start faster.
(await import('node:module')).enableCompileCache?.();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
