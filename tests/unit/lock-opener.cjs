/**
 * An opener process for lock.test.ts: opens a notebook through the BUILT notebook core (the code the app, browser mode
 * and the CLI run) and reports one JSON line per event on stdout.
 *
 *   node lock-opener.cjs hold <built chunk> <data dir>
 *     prints {"t":"loaded"}, waits for a line on stdin (so the test can start several and release them at once), opens,
 *     prints {"t":"open","pid":n} or {"t":"refused","code":...,"message":...}, holds the notebook until stdin ends,
 *     then closes it and exits.
 *
 *   node lock-opener.cjs restart <built chunk> <data dir>
 *     the parent of a crash and a restart: starts a `hold` child, waits until it has the notebook open, SIGKILLs it and,
 *     without giving its own event loop a turn (so the child is not reaped and stays a zombie), runs a second `hold`
 *     child synchronously. Prints {"t":"restart","zombieBefore":bool,"zombieAfter":bool,"second":[lines]}.
 */
const { spawn, spawnSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const readline = require('node:readline');

const [mode, chunk, dataDir] = process.argv.slice(2);
const out = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

function procState(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return 'gone';
  }
}

function hold() {
  const { Notebook } = require(chunk);
  out({ t: 'loaded' });
  const rl = readline.createInterface({ input: process.stdin });
  const closed = new Promise((resolve) => rl.once('close', resolve));
  rl.once('line', async () => {
    let notebook;
    try {
      notebook = await Notebook.open(dataDir, { owner: 'the lock test opener' });
      out({ t: 'open', pid: process.pid });
    } catch (error) {
      out({ t: 'refused', code: error.code, message: error.message });
    }
    await closed;
    if (notebook) await notebook.close();
    process.exit(0);
  });
}

function restart() {
  const first = spawn(process.execPath, [__filename, 'hold', chunk, dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffer = '';
  first.stdout.on('data', (data) => {
    buffer += data.toString();
    if (buffer.includes('"t":"loaded"') && !first.sentGo) {
      first.sentGo = true;
      first.stdin.write('go\n');
    }
    if (!buffer.includes('"t":"open"')) return;
    first.stdout.removeAllListeners('data');
    // From here on, no await and no callback: Node reaps a child only when its event loop runs.
    process.kill(first.pid, 'SIGKILL');
    const until = Date.now() + 10_000;
    while (procState(first.pid) !== 'Z' && Date.now() < until) {
      // spin: the kill is delivered asynchronously
    }
    const zombieBefore = procState(first.pid) === 'Z';
    const second = spawnSync(process.execPath, [__filename, 'hold', chunk, dataDir], { input: 'go\n', encoding: 'utf8' });
    const zombieAfter = procState(first.pid) === 'Z';
    const lines = second.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    out({ t: 'restart', zombieBefore, zombieAfter, second: lines, stderr: second.stderr });
    process.exit(0);
  });
}

if (mode === 'hold') hold();
else if (mode === 'restart') restart();
else throw new Error(`unknown mode ${mode}`);
