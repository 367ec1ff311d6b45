import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import ts from 'typescript';
import { readFolder } from '../../src/core/io/files';
import { TSCONFIG } from '../../src/core/labs/workspace';
import { tempDir } from './helpers';

const ROOT = path.resolve(__dirname, '../..');

/**
 * Type-checks a lab (not an ONNX one) as a candidate's editor does: for each of starter/ and solution/, a
 * workspace with that folder as src/ and both test suites in tests/ (their files prefixed `public.` and
 * `hidden.`, so both import `../src/<module>`), compiled with the workspace's own tsconfig options and the
 * repository's @types/node. Returns the errors as `<folder>: <file>(<line>): <message>`.
 */
export async function labTypeErrors(labDir: string): Promise<string[]> {
  // The workspace finds @types/node in the copy it gets; here it comes from the repository.
  const json = { ...TSCONFIG.compilerOptions, typeRoots: [path.join(ROOT, 'node_modules/@types')] };
  const errors: string[] = [];
  for (const code of ['starter', 'solution']) {
    const dir = await tempDir();
    const files = new Map<string, Buffer>();
    for (const [rel, content] of await readFolder(path.join(labDir, code))) files.set(`src/${rel}`, content);
    for (const suite of ['public', 'hidden']) {
      for (const [rel, content] of await readFolder(path.join(labDir, 'tests', suite))) files.set(`tests/${suite}.${rel}`, content);
    }
    for (const [rel, content] of files) {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), content);
    }
    const { options, errors: optionErrors } = ts.convertCompilerOptionsFromJson(json, dir);
    if (optionErrors.length) throw new Error(optionErrors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, ' ')).join('; '));
    const program = ts.createProgram({ rootNames: [...files.keys()].filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f)), options });
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const where = d.file ? `${path.relative(dir, d.file.fileName)}(${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1})` : '';
      errors.push(`${code}: ${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    }
  }
  return errors;
}
