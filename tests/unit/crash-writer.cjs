/**
 * A writer process for crash.test.ts: loads the BUILT notebook core (the same code browser mode and the app run), waits
 * for "go" on stdin (so the test can start it early and hide Node's start-up time), then writes as fast as it can
 * until it is killed. One JSON line per event on stdout:
 *   {"t":"open","articles":[...]}                       the notebook is open
 *   {"t":"start","seq":n,"op":...}                      an operation was issued (may or may not reach the disk)
 *   {"t":"ack","seq":n,"id"?:...}                       it resolved: the notebook says it is on disk
 *   {"t":"refused","seq":n}                             it was refused (invalid input): nothing may change
 * Usage: node crash-writer.cjs <built chunk> <data dir> <workers>
 */
const readline = require('node:readline');

const [chunk, dataDir, workersArg] = process.argv.slice(2);
const { Notebook } = require(chunk);
const WORKERS = Number(workersArg) || 4;
const COLORS = ['yellow', 'green', 'blue', 'pink', 'purple'];
const out = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

let seq = 0;
async function run(notebook, articleId, text) {
  const mine = (await notebook.getArticle(articleId)).highlights.map((h) => h.id);
  for (;;) {
    const n = ++seq;
    const roll = Math.random();
    if (roll < 0.45 || mine.length === 0) {
      const start = Math.floor(Math.random() * (text.length - 12));
      const end = start + 1 + Math.floor(Math.random() * 10);
      const color = COLORS[n % COLORS.length];
      out({ t: 'start', seq: n, op: 'add', articleId, start, end, color, note: `a${n}` });
      try {
        const h = await notebook.addHighlight(articleId, { start, end, color, note: `a${n}` });
        mine.push(h.id);
        out({ t: 'ack', seq: n, id: h.id });
      } catch (error) {
        // A range of nothing but white space is refused: a refusal changes nothing on disk.
        if (error.code !== 'invalid_input') throw error;
        out({ t: 'refused', seq: n });
      }
    } else if (roll < 0.8) {
      const id = mine[Math.floor(Math.random() * mine.length)];
      const color = COLORS[(n + 2) % COLORS.length];
      out({ t: 'start', seq: n, op: 'update', id, color, note: `u${n}` });
      await notebook.updateHighlight(id, { color, note: `u${n}` });
      out({ t: 'ack', seq: n });
    } else {
      out({ t: 'start', seq: n, op: 'note', articleId, note: `n${n}` });
      await notebook.setArticleNote(articleId, `n${n}`);
      out({ t: 'ack', seq: n });
    }
  }
}

async function main() {
  const notebook = await Notebook.open(dataDir, { owner: 'the crash-test writer' });
  let articles = await notebook.listArticles();
  while (articles.length < WORKERS) {
    const text = Array.from({ length: 30 }, (_, i) => `Sentence ${i} of article ${articles.length} about tides and ships.`).join('\n\n');
    await notebook.importArticle({ format: 'text', content: text, title: `Article ${articles.length}` });
    articles = await notebook.listArticles();
  }
  out({ t: 'open', articles: articles.map((a) => a.id) });
  await Promise.all(
    articles.slice(0, WORKERS).map(async (a) => run(notebook, a.id, (await notebook.getArticle(a.id)).text)),
  );
}

out({ t: 'loaded' });
const rl = readline.createInterface({ input: process.stdin });
rl.once('line', () => {
  main().catch((error) => {
    out({ t: 'error', message: String(error && error.stack) });
    process.exit(1);
  });
});
