// A StrykerJS test runner that scores each generated mutant the way `mlops-labs validate` scores a lab's own
// mutants: the mutated reference solution is graded by the lab's hidden suite through the project's grader
// (sandbox, limits and all), and a mutant is killed when it loses points. Stryker's instrumented sandbox
// file is not run: candidate code executes in a frozen compartment that cannot read Stryker's switches, so
// the runner applies the one active mutant's replacement to the original solution text instead.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginKind, declareClassPlugin, declareValuePlugin } from '@stryker-mutator/api/plugin';
import { DryRunStatus, MutantRunStatus, TestStatus } from '@stryker-mutator/api/test-runner';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

/** Character offset of a zero-based line and column. */
function offsetOf(text, { line, column }) {
  let at = 0;
  for (let i = 0; i < line; i++) at = text.indexOf('\n', at) + 1;
  return at + column;
}

class GraderRunner {
  // typed-inject: the runner needs nothing from Stryker's injector.
  static inject = [];
  lab;
  grader;
  solutionDir;

  capabilities() {
    return { reloadEnvironment: true };
  }

  async init() {
    const labId = process.env.MLOPS_MUTATION_LAB;
    if (!labId) throw new Error('MLOPS_MUTATION_LAB names the lab to mutate (scripts/mutation/run.mjs sets it)');
    const { loadCatalog } = require(path.join(ROOT, 'dist/core.js'));
    const { Grader } = require(path.join(ROOT, 'dist/grader.js'));
    this.lab = (await loadCatalog([ROOT])).lab(`core/${labId}`);
    if (!this.lab) throw new Error(`no built-in lab "${labId}"`);
    this.solutionDir = path.join(this.lab.dir, 'solution');
    this.grader = new Grader({ harness: path.join(ROOT, 'dist/grader-harness.js'), warm: true });
    this.grader.prepare(this.lab);
  }

  async dispose() {
    this.grader?.dispose();
  }

  /** Grades the solution, with `edit` applied to one of its files, as a candidate's src/. */
  async grade(edit) {
    const dir = await mkdtemp(path.join(tmpdir(), 'mlops-mutation-'));
    try {
      await cp(this.solutionDir, path.join(dir, 'src'), { recursive: true });
      if (edit) await writeFile(path.join(dir, 'src', edit.file), edit.text);
      return await this.grader.grade({ lab: this.lab, submissionDir: dir, suite: 'hidden' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async dryRun() {
    const report = await this.grade();
    if (report.status !== 'pass') return { status: DryRunStatus.Error, errorMessage: `the reference solution does not pass: ${report.message ?? ''}` };
    const tests = report.tests.map((t) => ({ id: t.name, name: t.name, timeSpentMs: 0, status: TestStatus.Success }));
    return { status: DryRunStatus.Complete, tests };
  }

  async mutantRun({ activeMutant }) {
    // The sandbox path ends in labs/<lab>/solution/<file>: the same file in the repository holds the original.
    const marker = `${path.sep}solution${path.sep}`;
    const file = activeMutant.fileName.slice(activeMutant.fileName.lastIndexOf(marker) + marker.length);
    const original = await readFile(path.join(this.solutionDir, file), 'utf8');
    const start = offsetOf(original, activeMutant.location.start);
    const end = offsetOf(original, activeMutant.location.end);
    const text = original.slice(0, start) + activeMutant.replacement + original.slice(end);
    const report = await this.grade({ file, text });
    const lost = report.tests.filter((t) => t.status !== 'pass');
    if (report.points < report.maxPoints) {
      if (/stopped after \d+ ms/.test(report.message ?? '')) return { status: MutantRunStatus.Timeout, reason: report.message };
      return {
        status: MutantRunStatus.Killed,
        killedBy: lost.map((t) => t.name),
        failureMessage: lost[0]?.message ?? report.message ?? 'lost points',
        nrOfTests: report.tests.length,
      };
    }
    return { status: MutantRunStatus.Survived, nrOfTests: report.tests.length };
  }
}

/**
 * Leaves out the text of error messages: every lab's README grades an error by its type (and fields such as an
 * index), never by its wording, so a blanked message is an equivalent mutant by definition. Strings and
 * templates passed to `new SomethingError(…)` are skipped; everything else, checks included, is mutated.
 */
const errorMessages = {
  shouldIgnore(path) {
    if (!path.isStringLiteral() && !path.isTemplateLiteral()) return undefined;
    const call = path.findParent((p) => p.isNewExpression() || p.isCallExpression() || p.isStatement());
    const callee = call?.isNewExpression() ? call.node.callee : undefined;
    const name = callee?.type === 'Identifier' ? callee.name : undefined;
    return name && /Error$/.test(name) ? 'error message text: the READMEs grade errors by type, not wording' : undefined;
  },
};

export const strykerPlugins = [
  declareClassPlugin(PluginKind.TestRunner, 'mlops-grader', GraderRunner),
  declareValuePlugin(PluginKind.Ignore, 'error-messages', errorMessages),
];
