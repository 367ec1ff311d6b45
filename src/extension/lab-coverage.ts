/**
 * Istanbul's coverage of a src/ file (what the grader reports) in VS Code's test-coverage terms: statements with
 * their branches, and functions as declarations. VS Code adds up the totals itself (FileCoverage.fromDetails).
 */
import * as vscode from 'vscode';
import type { CoverageReport } from '../grader/index';

type FileData = CoverageReport[string];
type Loc = { start: { line: number; column: number | null }; end: { line: number; column: number | null } };

/** Istanbul counts lines from 1 and columns from 0; an open end column means "to the end of the line". */
function range(loc: Loc): vscode.Range {
  const endColumn = loc.end.column === null || !Number.isFinite(loc.end.column) ? Number.MAX_SAFE_INTEGER : loc.end.column;
  return new vscode.Range(loc.start.line - 1, loc.start.column ?? 0, loc.end.line - 1, Math.min(endColumn, 100_000));
}

/** Branches go on the statement of the line they start on (v8-to-istanbul reports one statement per line). */
export function coverageDetails(data: FileData): vscode.FileCoverageDetail[] {
  const statements: vscode.StatementCoverage[] = [];
  const byLine = new Map<number, vscode.StatementCoverage>();
  for (const [id, loc] of Object.entries(data.statementMap)) {
    const statement = new vscode.StatementCoverage(data.s[id] ?? 0, range(loc));
    statements.push(statement);
    if (!byLine.has(loc.start.line)) byLine.set(loc.start.line, statement);
  }
  for (const [id, branch] of Object.entries(data.branchMap)) {
    const counts = data.b[id] ?? [];
    branch.locations.forEach((loc, i) => {
      const line = loc.start.line;
      let statement = byLine.get(line);
      if (!statement) {
        statement = new vscode.StatementCoverage(counts[i] ?? 0, range(loc));
        statements.push(statement);
        byLine.set(line, statement);
      }
      statement.branches.push(new vscode.BranchCoverage(counts[i] ?? 0, range(loc)));
    });
  }
  const declarations = Object.entries(data.fnMap).map(([id, fn]) => new vscode.DeclarationCoverage(fn.name || '(anonymous)', data.f[id] ?? 0, range(fn.loc)));
  return [...statements, ...declarations];
}
