import * as path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');

/** Node's and the standard library's declarations, parsed once and shared by every snippet's program. */
const declarations = new Map<string, ts.SourceFile | undefined>();

/** Compiles one snippet as its own module, strict, with Node's types. */
export function typeErrors(name: string, code: string): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    types: ['node'],
    skipLibCheck: true,
    lib: ['lib.es2023.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const file = path.join(ROOT, '.tmp', name);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    fileName === file
      ? ts.createSourceFile(fileName, `${code}\nexport {};\n`, languageVersion)
      : declaration(fileName, () => original(fileName, languageVersion, ...rest));
  host.fileExists = (
    (exists) => (fileName: string) =>
      fileName === file || exists(fileName)
  )(host.fileExists.bind(host));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

function declaration(fileName: string, parse: () => ts.SourceFile | undefined): ts.SourceFile | undefined {
  if (!declarations.has(fileName)) declarations.set(fileName, parse());
  return declarations.get(fileName);
}
