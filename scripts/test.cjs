#!/usr/bin/env node
// `npm test`: every check, in the order that fails fastest: lint, types, build, unit (Vitest), e2e and Electron
// (Playwright). Ends with one summary line: "tests: N passed, N failed, N skipped".
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, existsSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const reports = mkdtempSync(path.join(os.tmpdir(), 'gloss-test-'));
const vitestJson = path.join(reports, 'vitest.json');
const playwrightJson = path.join(reports, 'playwright.json');
const only = process.argv.slice(2); // e.g. `npm test -- unit` or `npm test -- e2e`

const steps = [
  ['chromium', process.execPath, [path.join(__dirname, 'ensure-chromium.cjs')]],
  ['lint', bin('eslint'), ['.', '--max-warnings=0']],
  ['typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
  ['electronegativity', process.execPath, [path.join(__dirname, 'electronegativity.cjs')]],
  ['build', bin('electron-vite'), ['build']],
  ['unit', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${vitestJson}`]],
  ['e2e', bin('playwright'), ['test'], { PW_JSON_OUTPUT: playwrightJson }],
];

let failedStep = null;
for (const [name, command, args, env] of steps) {
  if (only.length && !only.includes(name) && !['build', 'chromium'].includes(name)) continue;
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    failedStep = name;
    break;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests + (v.numFailedTestSuites ?? 0); // a suite that failed to load or set up counts too
  skipped += v.numPendingTests + (v.numTodoTests ?? 0);
}
if (existsSync(playwrightJson)) {
  const s = JSON.parse(readFileSync(playwrightJson, 'utf8')).stats;
  passed += s.expected + (s.flaky ?? 0);
  failed += s.unexpected;
  skipped += s.skipped;
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failedStep) {
  console.error(`npm test: the ${failedStep} step failed.`);
  process.exit(1);
}
