#!/usr/bin/env node
// Node strips the TypeScript types of the sources at load time; this shim stays plain JavaScript.
import { main } from '../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
