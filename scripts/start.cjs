#!/usr/bin/env node
// `npm start`: build, then launch the desktop app. Where the Electron binary is missing and cannot be fetched (as on
// an offline machine), say so in one line and start browser mode instead, which prints its URL.
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const { findElectronBinary } = require('./electron-binary.cjs');

const root = path.resolve(__dirname, '..');
const passThrough = process.argv.slice(2);

function run(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

// electron-vite's package exports do not include its bin script, so resolve it from the package folder.
const electronVite = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
// GLOSS_SKIP_BUILD=1 reuses an existing build (the test of this script sets it, as the suite has built already).
if (process.env.GLOSS_SKIP_BUILD !== '1') {
  const build = spawnSync(process.execPath, [electronVite, 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const binary = findElectronBinary();
if (binary.path) {
  run(binary.path, [root, ...passThrough]);
} else {
  console.log(`Gloss: no Electron binary here (${binary.missing}), so browser mode starts instead.`);
  run(process.execPath, [path.join(root, 'out/main/web.js'), ...passThrough]);
}
