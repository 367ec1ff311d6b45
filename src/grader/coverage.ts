/**
 * V8's block coverage of the candidate's bundle, mapped back to the candidate's own files through the bundle's
 * source map, as Istanbul's statement, branch and function counts. v8-to-istanbul (the converter behind c8) does
 * the mapping; this module only says where the bundle starts in what V8 ran and keeps the files of src/.
 */
import v8ToIstanbul from 'v8-to-istanbul';
import type { V8FunctionCoverage } from './child-process';
import { candidateSource } from './child/sandbox-source';
import type { FileCoverageData } from 'istanbul-lib-coverage';
import type { CoverageReport } from './types';

/** The workspace-relative src/ path of a source-map source ("../src/zero.ts" → "src/zero.ts"), or undefined. */
export function srcPathOf(source: string): string | undefined {
  const normalised = source.split('\\').join('/');
  const at = normalised.lastIndexOf('src/');
  if (at < 0 || (at > 0 && normalised[at - 1] !== '/')) return undefined;
  return normalised.slice(at);
}

/** Coverage of each src/ file from V8's counts for the bundle as the compartment evaluated it (candidateSource). */
export async function coverageOfBundle(bundle: { code: string; map: string; file: string }, functions: V8FunctionCoverage[]): Promise<CoverageReport> {
  // V8 counted offsets in the wrapped source; the bundle (and its map) starts after the wrapper's prefix.
  const wrapperLength = candidateSource(bundle).indexOf(bundle.code);
  const converter = v8ToIstanbul(
    bundle.file,
    wrapperLength,
    // Every original is in the map's sourcesContent (bundle.ts asks esbuild for it): nothing is read from disk.
    { source: bundle.code, originalSource: '', sourceMap: { sourcemap: JSON.parse(bundle.map) as never } },
    (file: string) => srcPathOf(file) === undefined,
  );
  await converter.load();
  converter.applyCoverage(functions);
  const report: CoverageReport = {};
  for (const [file, data] of Object.entries(converter.toIstanbul())) {
    const relative = srcPathOf(file);
    if (relative) report[relative] = { ...(data as FileCoverageData), path: relative };
  }
  return report;
}
