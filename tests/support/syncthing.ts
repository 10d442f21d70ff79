/**
 * Two real Syncthing daemons on 127.0.0.1 syncing one folder each, for the sync tests: keys made with `syncthing
 * generate`, then a config of our own (GUI/REST on a random port with an API key, listening on tcp://127.0.0.1:<port>,
 * discovery, relays, NAT, usage and crash reporting off, the other daemon a static device at its address, the folder
 * watched with a short rescan interval). `settle()` waits for both by the REST API, never by sleeping a fixed time.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const FOLDER_ID = 'gloss-notebook';

/** Why the real-engine tests cannot run here, or undefined when `syncthing` is on PATH and answers. */
export function syncthingMissing(): string | undefined {
  const probe = spawnSync('syncthing', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `syncthing is not on PATH (${probe.error?.message ?? probe.stderr}); install it (apt-get install syncthing) to run this test`;
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Daemon {
  name: string;
  home: string;
  folder: string;
  deviceId: string;
  guiPort: number;
  listenPort: number;
  apiKey: string;
  process?: ChildProcess;
  log: string;
  rest<T = any>(method: 'GET' | 'POST' | 'PATCH', route: string, body?: unknown): Promise<T>;
}

function configXml(self: Daemon, peer: Daemon): string {
  const device = (d: Daemon, address: string): string =>
    `<device id="${d.deviceId}" name="${d.name}" compression="metadata" introducer="false"><address>${address}</address><paused>false</paused><autoAcceptFolders>false</autoAcceptFolders></device>`;
  return `<configuration version="36">
  <folder id="${FOLDER_ID}" label="Gloss notebook" path="${self.folder}" type="sendreceive" rescanIntervalS="10" fsWatcherEnabled="true" fsWatcherDelayS="1" ignorePerms="false" autoNormalize="true">
    <filesystemType>basic</filesystemType>
    <device id="${self.deviceId}"></device>
    <device id="${peer.deviceId}"></device>
    <minDiskFree unit="%">0</minDiskFree>
    <markerName>.stfolder</markerName>
  </folder>
  ${device(self, 'dynamic')}
  ${device(peer, `tcp://127.0.0.1:${peer.listenPort}`)}
  <gui enabled="true" tls="false" debugging="false"><address>127.0.0.1:${self.guiPort}</address><apikey>${self.apiKey}</apikey><theme>default</theme></gui>
  <options>
    <listenAddress>tcp://127.0.0.1:${self.listenPort}</listenAddress>
    <globalAnnounceEnabled>false</globalAnnounceEnabled>
    <localAnnounceEnabled>false</localAnnounceEnabled>
    <relaysEnabled>false</relaysEnabled>
    <natEnabled>false</natEnabled>
    <urAccepted>-1</urAccepted>
    <urSeen>3</urSeen>
    <crashReportingEnabled>false</crashReportingEnabled>
    <startBrowser>false</startBrowser>
    <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
    <reconnectionIntervalS>1</reconnectionIntervalS>
    <minHomeDiskFree unit="%">0</minHomeDiskFree>
    <setLowPriority>false</setLowPriority>
  </options>
</configuration>
`;
}

export interface SyncPair {
  a: Daemon;
  b: Daemon;
  root: string;
  /** Both daemons have scanned, exchanged indexes and pulled everything: the two folders hold the same files. */
  settle(timeoutMs?: number): Promise<void>;
  /** Stops one daemon talking to the other (its edits stay local) until resume(). */
  pause(d: Daemon): Promise<void>;
  resume(d: Daemon): Promise<void>;
  stop(): Promise<void>;
}

/** Starts two daemons syncing `folderA` and `folderB` (created if missing). */
export async function startSyncPair(folderA: string, folderB: string): Promise<SyncPair> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'gloss-syncthing-'));
  const make = async (name: string, folder: string): Promise<Daemon> => {
    const home = path.join(root, name);
    const generated = spawnSync('syncthing', ['generate', `--home=${home}`, '--no-default-folder'], { encoding: 'utf8' });
    if (generated.status !== 0) throw new Error(`syncthing generate failed: ${generated.stderr}`);
    const id = spawnSync('syncthing', ['serve', `--home=${home}`, '--device-id'], { encoding: 'utf8' }).stdout.trim();
    await mkdir(path.join(folder, '.stfolder'), { recursive: true });
    const daemon: Daemon = {
      name,
      home,
      folder,
      deviceId: id,
      guiPort: await freePort(),
      listenPort: await freePort(),
      apiKey: randomBytes(16).toString('hex'),
      log: '',
      async rest(method, route, body) {
        const response = await fetch(`http://127.0.0.1:${daemon.guiPort}${route}`, {
          method,
          headers: { 'X-API-Key': daemon.apiKey, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`syncthing ${name} ${method} ${route}: ${response.status} ${text}`);
        return (text ? JSON.parse(text) : undefined) as never;
      },
    };
    return daemon;
  };
  const a = await make('a', folderA);
  const b = await make('b', folderB);
  await writeFile(path.join(a.home, 'config.xml'), configXml(a, b));
  await writeFile(path.join(b.home, 'config.xml'), configXml(b, a));
  for (const d of [a, b]) {
    d.process = spawn('syncthing', ['serve', `--home=${d.home}`, '--no-browser', '--no-restart', '--no-upgrade', '--no-default-folder'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STNOUPGRADE: '1', STNORESTART: '1' },
    });
    d.process.stdout!.on('data', (c: Buffer) => (d.log += c.toString()));
    d.process.stderr!.on('data', (c: Buffer) => (d.log += c.toString()));
  }
  const pair: SyncPair = {
    a,
    b,
    root,
    async settle(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let stableRounds = 0;
      let lastSeq = '';
      while (Date.now() < deadline) {
        const ready = await Promise.all([a, b].map((d) => isSettled(d, d === a ? b : a))).catch(() => [false, false]);
        if (ready.every((r) => r !== false)) {
          // The same global state on both sides for two looks in a row: nothing is in flight.
          const seq = JSON.stringify(ready);
          stableRounds = seq === lastSeq ? stableRounds + 1 : 0;
          lastSeq = seq;
          if (stableRounds >= 2) return;
        } else {
          stableRounds = 0;
          lastSeq = '';
        }
        await new Promise((resolve) => setTimeout(resolve, 250)); // polling the REST API: there is no event to await here
      }
      throw new Error(`Syncthing did not settle in ${timeoutMs} ms.\n--- a ---\n${a.log.slice(-3000)}\n--- b ---\n${b.log.slice(-3000)}`);
    },
    async pause(d) {
      await d.rest('POST', `/rest/system/pause?device=${d === a ? b.deviceId : a.deviceId}`);
    },
    async resume(d) {
      await d.rest('POST', `/rest/system/resume?device=${d === a ? b.deviceId : a.deviceId}`);
    },
    async stop() {
      for (const d of [a, b]) {
        if (!d.process || d.process.exitCode !== null) continue;
        const exited = new Promise((resolve) => d.process!.once('exit', resolve));
        d.process.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (d.process.exitCode === null) d.process.kill('SIGKILL');
      }
      await rm(root, { recursive: true, force: true });
    },
  };
  await waitForRest(a);
  await waitForRest(b);
  return pair;
}

async function waitForRest(d: Daemon): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (d.process?.exitCode !== null && d.process?.exitCode !== undefined) throw new Error(`syncthing ${d.name} exited:\n${d.log}`);
    try {
      await d.rest('GET', '/rest/system/ping');
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`syncthing ${d.name} did not answer in 30 s:\n${d.log}`);
}

/**
 * One daemon's view: connected to the peer, the folder scanned (a scan is asked for, so a file written a moment ago is
 * seen), idle, needing nothing, and the peer complete. Answers the global version (what both must agree on) or false.
 */
async function isSettled(d: Daemon, peer: Daemon): Promise<string | false> {
  const connections = await d.rest('GET', '/rest/system/connections');
  if (!connections.connections?.[peer.deviceId]?.connected) return false;
  await d.rest('POST', `/rest/db/scan?folder=${FOLDER_ID}`);
  const status = await d.rest('GET', `/rest/db/status?folder=${FOLDER_ID}`);
  if (status.state !== 'idle' || status.needTotalItems !== 0 || status.pullErrors > 0) return false;
  const completion = await d.rest('GET', `/rest/db/completion?folder=${FOLDER_ID}&device=${peer.deviceId}`);
  if (completion.completion !== 100 || completion.needItems !== 0) return false;
  return `${status.globalFiles}:${status.globalBytes}:${status.globalDeleted}:${status.inSyncFiles}`;
}
