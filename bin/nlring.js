#!/usr/bin/env node
// The `nlring` command: runs the built CLI (dist/, made by `npm run build`, or by `prepare`
// on `npm ci` / `npm install`).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
