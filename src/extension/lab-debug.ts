/**
 * Debug for a lab workspace's tests: the grading sandbox (dist/grader-debug.js) under VS Code's Node debugger,
 * with breakpoints in src/ bound before any test runs. Resolves when the debug session ends.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { background } from './errors';
import type { LabSession } from './lab-session';
import { complain } from './messages';

export interface DebugRequest {
  session: LabSession;
  /** The sandbox's debug entry (GraderHost.debugProgram). */
  program: string;
  /** Where prepareDebugRun wrote the bundles. */
  outDir: string;
  /** Full names of the tests to run; all when empty. */
  names: string[];
  token: vscode.CancellationToken;
  log: vscode.LogOutputChannel;
  run: vscode.TestRun;
}

export async function debugLabTests(args: DebugRequest): Promise<void> {
  const name = `Debug ${args.session.lab.id} tests`;
  const port = await freePort();
  const ended = new Promise<void>((resolve) => {
    const subscription = vscode.debug.onDidTerminateDebugSession((session) => {
      if (session.name !== name) return;
      subscription.dispose();
      resolve();
    });
    args.token.onCancellationRequested(() => {
      background(vscode.debug.stopDebugging(), args.log, 'Stopping the debug session');
      resolve();
    });
  });
  const started = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
    type: 'node',
    request: 'launch',
    name,
    runtimeExecutable: process.execPath,
    // The debugger attaches to the inspector port before any test runs (the process waits for it), sets the
    // breakpoints, then lets it go: simpler and sturdier than attaching through NODE_OPTIONS, which left
    // breakpoints unbound and the session waiting for the debugger to disconnect.
    runtimeArgs: [
      `--inspect-brk=127.0.0.1:${port}`,
      '--enable-source-maps',
      ...args.names.map((n) => `--test-name-pattern=^${escapeRegExp(n.split(' > ').at(-1) ?? n)}$`),
    ],
    attachSimplePort: port,
    // The same sandbox as grading: the candidate's code runs in a locked-down compartment.
    program: args.program,
    args: [args.outDir],
    cwd: args.session.dir,
    console: 'internalConsole',
    // node:test's reporter writes to stdout, not through console.log, so capture the streams.
    outputCapture: 'std',
    skipFiles: ['<node_internals>/**', args.program],
    sourceMaps: true,
    // The bundle sits in a hidden folder, which the debugger's default outFiles search skips: name it, so
    // breakpoints in src/ are mapped and set before the tests run, and wait for source maps on load.
    outFiles: [path.join(args.outDir, '**', '*.js')],
    resolveSourceMapLocations: [path.join(args.outDir, '**'), '!**/node_modules/**'],
    pauseForSourceMap: true,
    // NODE_TEST_CONTEXT (set when VS Code itself was started under a test runner) would switch node:test to
    // its machine-readable child protocol; the Debug Console must show the readable report.
    env: { NODE_TEST_CONTEXT: null, ...(process.versions['electron'] ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
  });
  if (!started) {
    complain(args.log, 'The debugger could not start the lab tests.');
    return;
  }
  args.run.appendOutput('Running under the debugger: results are in the Debug Console.\r\n');
  await ended;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A TCP port on the loopback interface that is free now, for the debuggee's inspector. */
async function freePort(): Promise<number> {
  // Loaded here, on the first Debug run: requiring node:net costs activation about 2 ms.
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
