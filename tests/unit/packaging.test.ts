/**
 * `npm run dist` cannot run here (electron-builder downloads Electron and packaging tools), so its configuration is
 * checked instead: electron-builder's own schema validation, the targets we promise, and the icon it points at.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('packaging configuration', () => {
  it('passes electron-builder validation', async () => {
    await expect(validateConfiguration(pkg.build, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('an invalid configuration is refused (the check can fail)', async () => {
    await expect(validateConfiguration({ ...pkg.build, linux: { ...pkg.build.linux, targetz: ['AppImage'] } }, new DebugLogger(false))).rejects.toThrow(/configuration.linux/);
  });

  it('builds AppImage and deb, dmg, and NSIS, with the icon from resources/', () => {
    expect(pkg.build.linux.target).toEqual(['AppImage', 'deb']);
    expect(pkg.build.mac.target).toEqual(['dmg']);
    expect(pkg.build.win.target).toEqual(['nsis']);
    for (const platform of ['linux', 'mac', 'win']) expect(pkg.build[platform].icon).toBe('resources/icon.png');
    const png = readFileSync(path.join(root, 'resources/icon.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]); // electron-builder needs ≥ 512 px for macOS
  });

  it('ships the built app and the sample article where the main process looks for it', () => {
    expect(pkg.build.files).toContain('out/**/*');
    expect(pkg.build.extraResources).toEqual([{ from: 'resources', to: 'resources', filter: expect.arrayContaining(['sample-article.txt']) }]);
    expect(pkg.main).toBe('out/main/index.js');
    expect(pkg.type).toBeUndefined(); // CommonJS: a sandboxed preload must be CommonJS
    expect(pkg.scripts.dist).toMatch(/electron-builder/);
  });
});
