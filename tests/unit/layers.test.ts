/** The layer arrows of DESIGN.md are enforced by lint: a forbidden import fails, an allowed one passes. */
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('layer arrows', () => {
  it.each([
    ['renderer/src/app/x.ts', "import { Notebook } from '../../../electron/notebook/notebook';\nexport const x = Notebook;\n"],
    ['renderer/src/app/x.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['renderer/src/app/x.ts', "import fs from 'node:fs';\nexport const x = fs;\n"],
    ['electron/notebook/x.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['electron/notebook/x.ts', "import { createWebServer } from '../web/server';\nexport const x = createWebServer;\n"],
    ['electron/web/x.ts', "import { bindIpc } from '../main/ipc';\nexport const x = bindIpc;\n"],
    ['electron/contract.ts', "import { z } from 'zod';\nexport const x = z;\n"],
  ])('%s may not import that', async (file, source) => {
    expect(await restricted(file, source)).not.toEqual([]);
  });

  it.each([
    ['renderer/src/app/x.ts', "import { HIGHLIGHT_COLORS } from '../../../electron/contract';\nexport const x = HIGHLIGHT_COLORS;\n"],
    ['renderer/src/app/x.ts', "import { buildTextModel } from '../../../electron/text-model';\nexport const x = buildTextModel;\n"],
    ['electron/web/x.ts', "import { Notebook } from '../notebook/notebook';\nexport const x = Notebook;\n"],
    ['electron/main/x.ts', "import { app } from 'electron';\nimport { Notebook } from '../notebook/notebook';\nexport const x = [app, Notebook];\n"],
  ])('%s may import that', async (file, source) => {
    expect(await restricted(file, source)).toEqual([]);
  });
});
