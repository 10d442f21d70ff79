#!/usr/bin/env node
// Before the tests: the e2e suite drives Debian's Chromium (Playwright's browser download cannot work offline).
// If it is missing and we may install packages (root with apt-get), install it; otherwise say exactly what to do.
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (existsSync(chromium)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (isRoot && hasApt) {
  console.log(`Chromium not found at ${chromium}: installing Debian's chromium and xvfb with apt-get...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 && spawnSync('apt-get', ['install', '-y', '-qq', 'chromium', 'xvfb'], { stdio: 'inherit', env });
  if (install && install.status === 0 && existsSync(chromium)) process.exit(0);
}
console.error(
  `Chromium not found at ${chromium}. Install it (Debian/Ubuntu: sudo apt-get install chromium xvfb) or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
);
process.exit(1);
