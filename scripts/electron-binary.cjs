// Where the Electron binary is, without triggering a download (requiring 'electron' would try to fetch it, and this
// machine cannot reach Electron's download host). Returns { path } or { missing: reason }.
const fs = require('node:fs');
const path = require('node:path');

function findElectronBinary() {
  const pkgDir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return fs.existsSync(candidate) ? { path: candidate } : { missing: `ELECTRON_OVERRIDE_DIST_PATH has no binary at ${candidate}` };
  }
  if (!relative) return { missing: 'it was never downloaded: node_modules/electron/path.txt is absent' };
  const full = path.join(pkgDir, 'dist', relative);
  return fs.existsSync(full) ? { path: full } : { missing: `the Electron binary is missing at ${full}` };
}

module.exports = { findElectronBinary };
