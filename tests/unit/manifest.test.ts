import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
// Command handlers live in src/extension/commands/, one table per feature: `'mlopsLabs.id': (args) => …`.
const extensionSource = readdirSync(path.join(ROOT, 'src/extension'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(path.join(ROOT, 'src/extension', f), 'utf8'))
  .join('\n');

describe('package.json contributions', () => {
  const commands: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);

  it('registers every contributed command in the extension', () => {
    const missing = commands.filter((id) => !extensionSource.includes(`'${id}': `));
    expect(missing).toEqual([]);
  });

  it('contributes every command that a menu names, and every command registered', () => {
    const menuCommands = Object.values(pkg.contributes.menus as Record<string, { command?: string }[]>)
      .flat()
      .map((m) => m.command)
      .filter((c): c is string => c !== undefined);
    expect(menuCommands.filter((c) => !commands.includes(c))).toEqual([]);
    const registered = [...extensionSource.matchAll(/'(mlopsLabs\.[A-Za-z]+)': /g)].map((m) => m[1]);
    expect(registered.filter((c) => !commands.includes(c ?? ''))).toEqual([]);
  });

  it('wires the pack and lab schemas into the editor, and the files exist', () => {
    for (const { url } of pkg.contributes.jsonValidation) expect(existsSync(path.join(ROOT, url))).toBe(true);
    expect(pkg.contributes.jsonValidation.map((j: { fileMatch: string }) => j.fileMatch)).toEqual(['pack.json', '**/labs/*/lab.json']);
  });

  it.each([
    [
      'pack',
      'schemas/pack.editor.json',
      'schemas/pack.schema.json',
      { name: 'some-tool', version: 2, entries: [] },
      { id: 'acme', name: 'Acme', version: '1.0.0', author: 'A', description: 'd', questions: ['questions'] },
    ],
    ['lab', 'schemas/lab.editor.json', 'schemas/lab.schema.json', { kind: 'another tool', steps: 3 }, { id: 'x', tasks: [] }],
  ])("checks only files that are a %s in the editor: another tool's file of that name is left alone", (_kind, editor, base, foreign, broken) => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const baseSchema = JSON.parse(readFileSync(path.join(ROOT, base), 'utf8'));
    ajv.addSchema(baseSchema);
    // The editor resolves "./x.schema.json" beside the wrapper; ajv finds the same schema by its $id.
    const wrapper = JSON.parse(readFileSync(path.join(ROOT, editor), 'utf8').replace(/"\.\/[a-z]+\.schema\.json"/, JSON.stringify(baseSchema.$id)));
    const validate = ajv.compile(wrapper);
    expect(validate(foreign)).toBe(true);
    expect(validate(broken)).toBe(false);
    const real = JSON.parse(readFileSync(path.join(ROOT, _kind === 'pack' ? 'pack.json' : 'labs/zero-memory/lab.json'), 'utf8'));
    expect(validate(real), JSON.stringify(validate.errors)).toBe(true);
  });

  it('declares limited support for untrusted workspaces and runs where the files are', () => {
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe('limited');
    expect(pkg.extensionKind).toEqual(['workspace']);
  });

  it('targets VS Code 1.95 with matching types, and carries license and repository for vsce', () => {
    expect(pkg.engines.vscode).toBe('^1.95.0');
    expect(pkg.devDependencies['@types/vscode']).toMatch(/^[~^]?1\.95\./);
    expect(pkg.license).toBe('MIT');
    expect(pkg.repository.url).toMatch(/^https:\/\//);
    expect(existsSync(path.join(ROOT, 'LICENSE'))).toBe(true);
  });

  it('points every icon at a file that exists', () => {
    expect(existsSync(path.join(ROOT, pkg.icon))).toBe(true);
    for (const c of pkg.contributes.viewsContainers.activitybar) expect(existsSync(path.join(ROOT, c.icon))).toBe(true);
  });
});
