/**
 * What the grader (parent) and the sandbox (child) agree on about the candidate's bundle, with no `ses` import:
 * the parent loads this in the editor's own process, which must never be locked down.
 */

/** How a test's import of the candidate's code is named: `require(CANDIDATE_PREFIX + "src/zero.ts")`. */
export const CANDIDATE_PREFIX = 'mlops-candidate:';

/**
 * The source the compartment evaluates: the bundle in a function, on the bundle's own first line so its line
 * numbers (and its source map) hold; the inline map lets a debugger bind breakpoints set in src/. Debug runs
 * write exactly this text to disk too, so the debugger can find the map before the code runs.
 */
export function candidateSource(bundle: { code: string; map: string; file: string }): string {
  const inline = Buffer.from(bundle.map).toString('base64');
  return `(function (module, exports, require) {${bundle.code}\n})\n//# sourceURL=${bundle.file}\n//# sourceMappingURL=data:application/json;base64,${inline}\n`;
}
