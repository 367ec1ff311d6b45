/** The resolver that keeps a submission inside its src/: each refused form, and what it lets through. */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { sandboxPlugin } from '../../../src/grader/sandbox-plugin';
import { tempDir } from '../helpers';

async function submission(files: Record<string, string>): Promise<string> {
  const root = await tempDir();
  for (const [rel, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  return root;
}

async function errorsOf(root: string, runtime: string[] = []): Promise<string[]> {
  try {
    await build({
      entryPoints: [path.join(root, 'src/main.ts')],
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'neutral',
      logLevel: 'silent',
      plugins: [sandboxPlugin(path.join(root, 'src'), runtime)],
    });
    return [];
  } catch (error) {
    return ((error as { errors?: { text: string }[] }).errors ?? []).map((e) => e.text);
  }
}

describe('the sandbox resolver', () => {
  it('bundles a submission that imports only its own files and JSON', async () => {
    const root = await submission({
      'src/main.ts': "import { x } from './lib/x';\nimport data from './data.json';\nexport const y = x + data.n;\n",
      'src/lib/x.ts': 'export const x = 1;\n',
      'src/data.json': '{"n": 2}',
    });
    expect(await errorsOf(root)).toEqual([]);
  });

  it.each([
    [
      'a path out of src/',
      "import t from '../tests/hidden.test';\nexport const used = t;",
      /import "\.\.\/tests\/hidden\.test" is not allowed: it leads out of src\//,
    ],
    ['an absolute path', "import t from '/etc/hostname';\nexport const used = t;", /import "\/etc\/hostname" is not allowed: absolute paths are not allowed/],
    ['import attributes', "import t from './notes.txt' with { type: 'text' };\nexport const used = t;", /import attributes \(with \{ … \}\) are not allowed/],
    [
      'a Node built-in',
      "import { readFileSync } from 'node:fs';\nexport const used = readFileSync;",
      /import "node:fs" is not allowed: Node's built-in modules/,
    ],
    [
      'a Node built-in without the prefix',
      "import * as cp from 'child_process';\nexport const used = cp;",
      /import "child_process" is not allowed: Node's built-in modules/,
    ],
    ['a package', "import ses from 'ses';\nexport const used = ses;", /import "ses" is not allowed: only files in src\/ can be imported/],
    ['a require of a built-in', "const fs = require('fs');", /import "fs" is not allowed/],
    [
      'a file of another kind',
      "import notes from './notes.txt';\nexport const used = notes;",
      /src\/notes\.txt is not allowed: a submission imports only TypeScript, JavaScript and JSON files/,
    ],
  ])('refuses %s, naming the import', async (_name, line, says) => {
    // Each line uses what it imports: TypeScript drops an import nothing uses before it is ever resolved.
    const root = await submission({ 'src/main.ts': `${line}\nexport const y = 1;\n`, 'src/notes.txt': 'hi', 'tests/hidden.test.ts': 'export default 1;' });
    const errors = await errorsOf(root);
    expect(errors.join('\n')).toMatch(says);
  });

  it('refuses a link inside src/ that leads out of it', async () => {
    const root = await submission({ 'src/main.ts': "import secret from './secret';\nexport const y = secret;\n", 'outside/secret.ts': 'export default 42;\n' });
    await symlink(path.join(root, 'outside/secret.ts'), path.join(root, 'src/secret.ts'));
    expect((await errorsOf(root)).join('\n')).toMatch(/is not allowed: it is outside src\//);
  });

  it('refuses a template import that would glob files outside src/', async () => {
    const root = await submission({
      'src/main.ts': 'export async function load(n: string) { return import(`../tests/${n}`); }\n',
      'tests/a.ts': 'export default 1;',
    });
    expect((await errorsOf(root)).join('\n')).toMatch(/outside src\/|leads out of src\//);
  });

  it("leaves the lab's declared runtime packages to the sandbox, and only those", async () => {
    const root = await submission({ 'src/main.ts': "import * as ort from 'onnxruntime-node';\nexport const y = ort;\n" });
    expect(await errorsOf(root, ['onnxruntime-node'])).toEqual([]);
    expect((await errorsOf(root, [])).join('\n')).toMatch(/import "onnxruntime-node" is not allowed/);
  });
});
