/**
 * `npm run dist` cannot run here (electron-builder downloads Electron and packaging tools), so its configuration is
 * checked instead: electron-builder's own schema validation, the targets we promise, the icon it points at, and the
 * fuses it flips (through electron-builder's own mapping and @electron/fuses, on a stand-in for the Electron binary).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { PlatformPackager } from 'app-builder-lib';
import { DebugLogger } from 'builder-util';
import { flipFuses, FuseV1Options, getCurrentFuseWire, type FuseV1Config } from '@electron/fuses';

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

describe('Electron fuses', () => {
  const ON = 49; // '1', as @electron/fuses writes the wire
  const OFF = 48; // '0'

  it('are all set, as the security checklist asks', () => {
    expect(pkg.build.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false, // nothing loads from file:// (the window uses gloss-app://)
    });
  });

  it('a misspelt fuse is refused by electron-builder’s schema (the check can fail)', async () => {
    await expect(validateConfiguration({ ...pkg.build, electronFuses: { ...pkg.build.electronFuses, runAsNod: false } }, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });

  it('electron-builder flips exactly those fuses in the Electron binary', async () => {
    // A stand-in binary: the fuse sentinel, wire version 1, 8 fuses with Electron's defaults (RunAsNode, NODE_OPTIONS,
    // --inspect and file:// privileges on; cookie encryption, asar integrity and asar-only off).
    const defaults = [ON, OFF, ON, ON, OFF, OFF, OFF, ON];
    const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
    const binary = Buffer.concat([Buffer.alloc(64, 7), sentinel, Buffer.from([1, defaults.length, ...defaults]), Buffer.alloc(64, 7)]);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-fuses-'));
    const file = path.join(dir, 'electron');
    try {
      await writeFile(file, binary);
      // electron-builder's own translation of the "electronFuses" key (private, so reached through the prototype).
      const generate = (PlatformPackager.prototype as unknown as { generateFuseConfig: (fuses: unknown) => Promise<FuseV1Config> }).generateFuseConfig;
      const config = await generate.call(null, pkg.build.electronFuses);
      await flipFuses(file, config);
      const wire = await getCurrentFuseWire(file);
      expect({
        runAsNode: wire[FuseV1Options.RunAsNode],
        nodeOptions: wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable],
        inspect: wire[FuseV1Options.EnableNodeCliInspectArguments],
        cookieEncryption: wire[FuseV1Options.EnableCookieEncryption],
        asarIntegrity: wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation],
        onlyAsar: wire[FuseV1Options.OnlyLoadAppFromAsar],
        v8Snapshot: wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot],
        fileProtocol: wire[FuseV1Options.GrantFileProtocolExtraPrivileges],
      }).toEqual({ runAsNode: OFF, nodeOptions: OFF, inspect: OFF, cookieEncryption: ON, asarIntegrity: ON, onlyAsar: ON, v8Snapshot: OFF, fileProtocol: OFF });
      expect((await readFile(file)).length).toBe(binary.length); // flipped in place, nothing else touched
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
