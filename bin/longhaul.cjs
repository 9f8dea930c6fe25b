#!/usr/bin/env node
// The `longhaul` CLI launcher: runs the bundled CLI built by `npm run build`.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli', 'longhaul.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('longhaul: the CLI is not built yet; run `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(2);
}
require(bundle);
