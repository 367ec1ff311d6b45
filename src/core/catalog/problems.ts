/** A problem found while loading content: reported with its file, never fatal to the rest. */
export interface LoadProblem {
  readonly file: string;
  readonly message: string;
}

export function formatProblem(problem: LoadProblem): string {
  return `${problem.file}: ${problem.message}`;
}
