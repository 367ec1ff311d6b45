// Over 300 lines on purpose: one child's life (spawn with its limits, each job's run, kept or retired between jobs) is one
// state machine over one process; split, its states would be shared across files.
/**
 * One grading child: spawned ahead of need with its limits, then given one job. The parent enforces what the
 * child cannot be trusted to: a wall-clock timeout that kills the whole process group, an RSS watchdog (typed
 * arrays escape the heap cap), and a cap on captured output.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { verify, type ChildEvent, type ChildJob } from './channel';
import { probePermissions, supportsAddonsFlag, supportsTestTimeout, type NodeRuntime } from './permissions';
import type { Protections } from './types';

/** Output kept for the report; console output past the limit marks a flood; raw output past the hard limit kills. */
export const OUTPUT_KEEP_BYTES = 64 * 1024;
export const OUTPUT_LIMIT_BYTES = 1024 * 1024;
export const OUTPUT_KILL_BYTES = 8 * 1024 * 1024;
/** Headroom over the heap cap for the rest of the process (code, buffers, the runtime itself). */
const RSS_HEADROOM_MB = 256;

export interface ChildProfile {
  runtime: NodeRuntime;
  /** The harness bundle: main module and reporter. */
  harness: string;
  /** Folders and files the child may read besides the harness (lab assets, runtime packages). */
  readPaths: string[];
  memoryMb: number;
  testTimeoutMs: number;
  addons: boolean;
  /** Runtime packages (name → absolute path) the child loads before lockdown and hands to the candidate's compartment. */
  runtimeModules: Record<string, string>;
  /**
   * Collect V8's coverage of the candidate's code. Node turns V8 coverage off under its permission model, so a
   * coverage child runs without it (like a Debug run): the compartment and the resolver still confine the code.
   */
  coverage?: boolean;
  /**
   * How many grades one child may run in turn (docs/grading.md, "One child, several grades"); one when absent. Only
   * for profiles without runtime packages: what the compartment gets from them is not hardened.
   */
  reuse?: number;
  /** Where the child's scratch folder (its working and only writable folder) is made: the grader's work folder. */
  workDir?: string;
}

/** The prefix of a child's scratch folder, with the grading process's pid: a sweep removes those whose process is gone. */
export const SCRATCH_PREFIX = 'mlops-grade-';

/** V8's block coverage of one function (Profiler.takePreciseCoverage's FunctionCoverage). */
export interface V8FunctionCoverage {
  functionName: string;
  ranges: { startOffset: number; endOffset: number; count: number }[];
  isBlockCoverage: boolean;
}

export function profileKey(profile: ChildProfile): string {
  return JSON.stringify([
    profile.runtime.execPath,
    profile.harness,
    [...profile.readPaths].sort(),
    profile.memoryMb,
    profile.testTimeoutMs,
    profile.addons,
    profile.runtimeModules,
    profile.coverage === true,
    profile.reuse ?? 1,
    profile.workDir ?? '',
  ]);
}

export interface RunOutcome {
  events: ChildEvent[];
  /** Messages on the channel that failed verification: forged by the submission. */
  forged: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  killedFor?: 'timeout' | 'memory' | 'output' | 'cancelled';
  output: string;
  outputBytes: number;
  peakRssMb: number | null;
  /** V8's counts for the candidate's bundle, in a coverage run that got as far as writing them. */
  coverage?: V8FunctionCoverage[];
}

export class GradingChild {
  readonly ready: Promise<void>;
  readonly protections: Omit<Protections, 'timeoutMs'>;
  private readonly child: ChildProcess;
  private readonly scratch: string;
  private busy = false;
  private exited = false;
  /** Grades run so far; a child that may be kept (profile.reuse) runs up to that many. */
  private grades = 0;
  /** Set once the child must not grade again. */
  private retired = false;
  /** Resolves when the child can take its next job (true) or must be retired (false). */
  private usable: Promise<boolean>;

  constructor(readonly profile: ChildProfile) {
    const probe = probePermissions(profile.runtime);
    const base = profile.workDir ?? tmpdir();
    mkdirSync(base, { recursive: true, mode: 0o700 });
    this.scratch = mkdtempSync(path.join(base, `${SCRATCH_PREFIX}${process.pid}-`));
    const reporter = reporterOf(profile.harness);
    const flags = [`--max-old-space-size=${profile.memoryMb}`, '--enable-source-maps', `--test-reporter=${reporter}`, '--test-reporter-destination=stdout'];
    // A child that may be kept measures what it holds after a full collection between grades.
    if ((profile.reuse ?? 1) > 1) flags.push('--expose-gc');
    if (supportsTestTimeout(probe.version)) flags.push(`--test-timeout=${profile.testTimeoutMs}`, '--disable-warning=ExperimentalWarning');
    const permission = probe.flag && probe.enforced && !profile.coverage;
    if (permission && probe.flag) {
      flags.push(
        probe.flag,
        `--allow-fs-read=${profile.harness}`,
        `--allow-fs-read=${reporter}`,
        `--allow-fs-write=${this.scratch}`,
        `--allow-fs-read=${this.scratch}`,
      );
      for (const p of profile.readPaths) flags.push(`--allow-fs-read=${p}`);
      if (profile.addons && supportsAddonsFlag(probe.version)) flags.push('--allow-addons');
    }
    this.protections = {
      permissionModel: !probe.flag ? 'unavailable' : probe.enforced ? 'enforced' : 'not-enforced',
      ...(probe.flag ? { permissionFlag: probe.flag } : {}),
      nodeVersion: probe.versionText,
      heapMb: profile.memoryMb,
      rssWatchdogMb: process.platform === 'linux' ? profile.memoryMb + RSS_HEADROOM_MB : null,
      outputCapBytes: OUTPUT_LIMIT_BYTES,
      addons: profile.addons,
      childProcesses: !permission,
    };
    this.child = spawn(profile.runtime.execPath, [...flags, profile.harness], {
      cwd: this.scratch,
      env: {
        PATH: process.env['PATH'] ?? '',
        ...profile.runtime.env,
        NODE_OPTIONS: '',
        MLOPS_GRADER_RUNTIME: JSON.stringify(profile.runtimeModules),
        ...(profile.coverage ? { NODE_V8_COVERAGE: path.join(this.scratch, 'coverage') } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Its own process group, so a kill reaches anything it started.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    this.child.on('exit', () => (this.exited = true));
    this.ready = new Promise((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if ((message as { kind?: string })?.kind === 'ready') {
          this.child.off('message', onMessage);
          resolve();
        }
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (code) => reject(new Error(`the grading process exited before it was ready (code ${code})`)));
      this.child.once('error', reject);
    });
    this.ready.catch(() => undefined);
    this.usable = this.ready.then(
      () => true,
      () => false,
    );
  }

  get alive(): boolean {
    return !this.exited && !this.busy && !this.retired && this.grades < (this.profile.reuse ?? 1);
  }

  /** Jobs this child may still run. */
  get gradesLeft(): number {
    return this.retired || this.exited ? 0 : (this.profile.reuse ?? 1) - this.grades;
  }

  /** Whether the child can take another job, once it has said so after its last one (at once for a fresh child). */
  async reusable(): Promise<boolean> {
    return this.alive && (await this.usable) && this.alive;
  }

  /**
   * Runs one job to the end. A child whose profile allows reuse stays up after it when the job may be followed by
   * another (not the last allowed, not a workspace run), and is retired when anything went wrong; otherwise it is spent.
   */
  run(
    job: Omit<ChildJob, 'kind' | 'nonce' | 'testTimeoutMs' | 'outputLimitBytes'>,
    limits: { timeoutMs: number; signal?: AbortSignal; onEvent?: (event: ChildEvent) => void },
  ): Promise<RunOutcome> {
    if (!this.alive) throw new Error('this grading child cannot take another job');
    this.busy = true;
    this.grades++;
    const reuse = this.grades < (this.profile.reuse ?? 1) && !job.candidateTests;
    let stray = false;
    const nonce = randomBytes(32).toString('hex');
    const events: ChildEvent[] = [];
    let forged = 0;
    let seq = 0;
    const chunks: Buffer[] = [];
    let kept = 0;
    let outputBytes = 0;
    let killedFor: RunOutcome['killedFor'];
    let peakRssMb: number | null = null;

    return new Promise((resolve) => {
      const kill = (reason: NonNullable<RunOutcome['killedFor']>) => {
        killedFor ??= reason;
        killTree(this.child);
      };
      const keep = (data: Buffer) => {
        outputBytes += data.length;
        if (kept < OUTPUT_KEEP_BYTES) {
          const slice = data.subarray(0, OUTPUT_KEEP_BYTES - kept);
          chunks.push(slice);
          kept += slice.length;
        }
        if (outputBytes > OUTPUT_KILL_BYTES) kill('output');
      };
      const onOutput = (data: Buffer) => {
        // A child that may be kept sends its console output over the channel: anything on the pipes went around it.
        if (reuse) stray = true;
        keep(data);
      };
      this.child.stdout?.on('data', onOutput);
      this.child.stderr?.on('data', onOutput);
      const onMessage = (message: unknown) => {
        const event = verify(nonce, seq, message);
        if (!event) {
          forged++;
          return;
        }
        seq++;
        if (event.kind === 'stdio') {
          keep(Buffer.from(event.text, 'utf8'));
          return;
        }
        events.push(event);
        limits.onEvent?.(event);
        if (event.kind !== 'done') return;
        // Every result is in, and everything the child printed before it is already in the pipes (stdout and
        // stderr are synchronous on pipes): end it now, so neither its own exit nor a timer or socket the
        // submission left open holds the grade.
        if (!reuse) killTree(this.child);
        else settle(null, null);
      };
      this.child.on('message', onMessage);
      const timer = setTimeout(() => kill('timeout'), limits.timeoutMs);
      const rssLimit = this.protections.rssWatchdogMb;
      const watchdog = setInterval(() => {
        const rss = rssMb(this.child.pid);
        if (rss !== null) peakRssMb = Math.max(peakRssMb ?? 0, rss);
        if (rss !== null && rssLimit !== null && rss > rssLimit) kill('memory');
      }, 50);
      const onAbort = () => kill('cancelled');
      limits.signal?.addEventListener('abort', onAbort, { once: true });
      let settled = false;
      const settle = (exitCode: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(watchdog);
        limits.signal?.removeEventListener('abort', onAbort);
        this.child.stdout?.off('data', onOutput);
        this.child.stderr?.off('data', onOutput);
        this.child.off('message', onMessage);
        this.child.off('close', settle);
        this.busy = false;
        const closed = this.exited || this.child.exitCode !== null || this.child.signalCode !== null;
        if (!reuse || closed) {
          this.retired = true;
          this.usable = Promise.resolve(false);
        } else {
          this.usable = this.afterJob(forged > 0 || stray);
        }
        const coverage = this.profile.coverage ? readCoverage(path.join(this.scratch, 'coverage'), job.candidate.file) : undefined;
        if (this.retired) rmSync(this.scratch, { recursive: true, force: true });
        resolve({
          ...(coverage ? { coverage } : {}),
          events,
          forged,
          exitCode,
          signal,
          ...(killedFor ? { killedFor } : {}),
          output: Buffer.concat(chunks).toString('utf8'),
          outputBytes,
          peakRssMb,
        });
      };
      this.child.once('close', settle);
      this.child.send({
        kind: 'job',
        nonce,
        testTimeoutMs: this.profile.testTimeoutMs,
        outputLimitBytes: OUTPUT_LIMIT_BYTES,
        reuse,
        ...job,
      } satisfies ChildJob);
      // A cancel that came while the submission was being bundled fired before the listener was added.
      if (limits.signal?.aborted) onAbort();
    });
  }

  /**
   * After a job in a child that may be kept: its own word (the harness closed the submission's timers and checked
   * what is still held or running), and the parent's (no forged message, nothing printed around the channel).
   */
  private afterJob(spoiled: boolean): Promise<boolean> {
    return new Promise((resolve) => {
      const onMessage = (message: unknown) => {
        if ((message as { kind?: unknown } | null)?.kind !== 'ready') return;
        done(!spoiled && (message as { retire?: unknown }).retire === undefined);
      };
      const done = (ok: boolean) => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (!ok) this.dispose();
        else this.clearScratch();
        resolve(ok);
      };
      const onExit = () => done(false);
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
  }

  /** The scratch folder is emptied between two grades in one child. */
  private clearScratch(): void {
    try {
      for (const name of readdirSync(this.scratch)) rmSync(path.join(this.scratch, name), { recursive: true, force: true });
    } catch {
      this.dispose();
    }
  }

  /** Ends the child (never used, retired, or the pool is shutting down). */
  dispose(): void {
    this.retired = true;
    if (!this.exited) killTree(this.child);
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/**
 * The node:test reporter beside the harness (dist/grader-reporter.js, written by the build): a one-line module that
 * hands over the harness's reporter, so node:test's import of it does not scan the whole harness. A harness
 * without it (a build from before) is its own reporter, as the harness can be.
 */
export function reporterOf(harness: string): string {
  const reporter = path.join(path.dirname(harness), 'grader-reporter.js');
  return existsSync(reporter) ? reporter : harness;
}

/** The candidate bundle's functions from the coverage files V8 wrote (the newest write has the final counts). */
function readCoverage(dir: string, candidateFile: string): V8FunctionCoverage[] | undefined {
  let newest: V8FunctionCoverage[] | undefined;
  try {
    for (const name of readdirSync(dir).sort()) {
      const data = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { result?: { url: string; functions: V8FunctionCoverage[] }[] };
      const script = data.result?.find((entry) => entry.url === candidateFile || entry.url === pathToFileURL(candidateFile).href);
      if (script) newest = script.functions;
    }
  } catch {
    return newest;
  }
  return newest;
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true });
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function rssMb(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
