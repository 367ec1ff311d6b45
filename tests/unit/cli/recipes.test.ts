/**
 * The grading recipes of docs/grading.md, as far as a machine without containers can take them: the GitHub
 * Actions workflow and the Kubernetes manifests are parsed, and the mlops-labs commands they run are run in
 * their order (every shard, then the merge) with the built CLI on take-home fixtures, the artifacts and the
 * shared volume played by folders. The merged gradebook must equal one unsharded run's. The Dockerfile is
 * checked for its promises (Node 20 slim, a non-root user, the CLI as entry point).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { packTemplate } from '../../../src/cli/pack-template';
import { loadCatalog } from '../../../src/core/catalog/catalog';
import type { Lab, Pack } from '../../../src/core/catalog/types';
import { writeZip } from '../../../src/core/io/zip-write';
import { writeTree } from '../helpers';
import { exportOf } from './take-home-fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const TEMPLATE = await packTemplate({ id: 'acme-take-home', name: 'Acme take-home', author: 'Acme' });
const SOLUTION = TEMPLATE.get('labs/latency-slo/solution/slo.ts') as string;
const STARTER = TEMPLATE.get('labs/latency-slo/starter/slo.ts') as string;

let work: string;
let bin: string;
let repo: string;
let unsharded: string;

/** The repository a grading workflow checks out: pack/ and submissions/. */
async function writeRepo(dir: string): Promise<void> {
  await writeTree(path.join(dir, 'pack'), Object.fromEntries(TEMPLATE));
  const catalog = await loadCatalog([path.join(dir, 'pack')]);
  const pack = catalog.packs[0] as Pack;
  const lab = catalog.labs[0] as Lab;
  const codes = { ada: SOLUTION, bo: STARTER, cy: SOLUTION, di: STARTER, ed: SOLUTION, flo: SOLUTION };
  for (const [name, code] of Object.entries(codes)) await writeZip(exportOf(pack, lab, STARTER, code), path.join(dir, 'submissions', `${name}.zip`));
}

const run = (command: string, cwd: string) =>
  execFileSync('bash', ['-euo', 'pipefail', '-c', command], {
    cwd,
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH']}` },
    stdio: 'pipe',
  });

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'mlops-labs-recipes-'));
  bin = path.join(work, 'bin');
  await mkdir(bin);
  // `mlops-labs` on PATH is the built CLI, as in the image.
  await writeFile(path.join(bin, 'mlops-labs'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  await chmod(path.join(bin, 'mlops-labs'), 0o755);
  repo = path.join(work, 'repo');
  await writeRepo(repo);
  unsharded = path.join(work, 'unsharded');
  run(`mlops-labs grade --pack pack --submissions submissions --out ${JSON.stringify(unsharded)}`, repo);
}, 120_000);
afterAll(() => rm(work, { recursive: true, force: true }));

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string | number>;
}
interface Workflow {
  jobs: Record<string, { needs?: string; container?: string; strategy?: { matrix: { shard: number[] } }; steps: Step[] }>;
}

describe('the GitHub Actions recipe (docs/recipes/grade-shards.yml)', () => {
  it('grades every shard of the matrix, uploads each, and merges them into the unsharded gradebook', async () => {
    const workflow = parse(await readFile(path.join(ROOT, 'docs/recipes/grade-shards.yml'), 'utf8')) as Workflow;
    const { grade, merge } = workflow.jobs;
    if (!grade || !merge) throw new Error('the workflow needs a grade job and a merge job');
    expect(merge.needs).toBe('grade');
    const shards = grade.strategy?.matrix.shard ?? [];
    expect(shards.length).toBeGreaterThan(1);
    const artifacts = path.join(work, 'artifacts');
    const expand = (text: string, shard?: number) => {
      const out = text.replace(/\$\{\{\s*matrix\.shard\s*\}\}/g, String(shard)).replace(/\$\{\{\s*strategy\.job-total\s*\}\}/g, String(shards.length));
      expect(out, 'an expression the test does not know').not.toContain('${{');
      return out;
    };
    /** One job's steps in a fresh workspace; checkout copies the repository, the artifact actions use folders. */
    const runJob = async (steps: Step[], workspace: string, shard?: number) => {
      await mkdir(workspace, { recursive: true });
      for (const step of steps) {
        const uses = step.uses?.split('@')[0];
        if (uses === 'actions/checkout') await cp(repo, workspace, { recursive: true });
        else if (uses === 'actions/upload-artifact')
          await cp(path.join(workspace, expand(String(step.with?.['path']), shard)), path.join(artifacts, expand(String(step.with?.['name']), shard)), {
            recursive: true,
          });
        else if (uses === 'actions/download-artifact') {
          const pattern = new RegExp(`^${String(step.with?.['pattern']).replace(/\*/g, '.*')}$`);
          for (const name of (await readdir(artifacts)).filter((n) => pattern.test(n)))
            await cp(path.join(artifacts, name), path.join(workspace, String(step.with?.['path']), name), { recursive: true });
        } else if (step.run) run(expand(step.run, shard), workspace);
        else throw new Error(`a step the test cannot play: ${JSON.stringify(step)}`);
      }
    };
    for (const shard of shards) await runJob(grade.steps, path.join(work, 'gh', `grade-${shard}`), shard);
    await runJob(merge.steps, path.join(work, 'gh', 'merge'));
    expect(await readFile(path.join(artifacts, 'gradebook', 'gradebook.csv'), 'utf8')).toBe(await readFile(path.join(unsharded, 'gradebook.csv'), 'utf8'));
    expect(await readFile(path.join(artifacts, 'gradebook', 'index.html'), 'utf8')).toBe(await readFile(path.join(unsharded, 'index.html'), 'utf8'));
  }, 180_000);
});

interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    policyTypes?: string[];
    egress?: unknown[];
    template: {
      spec: {
        securityContext?: { runAsNonRoot?: boolean };
        containers: { args: string[]; env?: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[] }[];
      };
    };
  };
}

describe('the Kubernetes recipe (docs/recipes/k8s-grade-job.yaml)', () => {
  it('runs the Indexed Job’s pods, one per completion index, then the merge Job, into the unsharded gradebook', async () => {
    const docs = parseAllDocuments(await readFile(path.join(ROOT, 'docs/recipes/k8s-grade-job.yaml'), 'utf8')).map((d) => d.toJS() as Manifest);
    const jobs = docs.filter((d) => d.kind === 'Job');
    const indexed = jobs.find((j) => j.spec.completionMode === 'Indexed');
    const merge = jobs.find((j) => j !== indexed);
    if (!indexed || !merge) throw new Error('the recipe needs an Indexed Job and a merge Job');
    const policy = docs.find((d) => d.kind === 'NetworkPolicy');
    expect(policy?.spec.policyTypes).toContain('Egress');
    expect(policy?.spec.egress ?? []).toEqual([]);
    const data = path.join(work, 'volume');
    await cp(repo, data, { recursive: true });
    /** A container's args as the kubelet expands them: $(VAR) from its env, the completion index from the pod's annotation; /data is the volume. */
    const podCommand = (job: Manifest, index?: number) => {
      expect(job.spec.template.spec.securityContext?.runAsNonRoot).toBe(true);
      const container = job.spec.template.spec.containers[0];
      if (!container) throw new Error(`${job.metadata.name} has no container`);
      const env = new Map(
        (container.env ?? []).map((v) => [
          v.name,
          v.valueFrom?.fieldRef?.fieldPath === "metadata.annotations['batch.kubernetes.io/job-completion-index']" ? String(index) : (v.value ?? ''),
        ]),
      );
      return container.args.map((a) => a.replace(/\$\(([A-Z_]+)\)/g, (_, name: string) => env.get(name) ?? `$(${name})`).replace(/^\/data(?=\/|$)/, data));
    };
    const total = indexed.spec.completions ?? 1;
    expect(total).toBeGreaterThan(1);
    for (let index = 0; index < total; index++) {
      const args = podCommand(indexed, index);
      expect(args).toContain(`${index}/${total}`);
      execFileSync(process.execPath, [CLI, ...args], { stdio: 'pipe' });
    }
    execFileSync(process.execPath, [CLI, ...podCommand(merge)], { stdio: 'pipe' });
    expect(await readFile(path.join(data, 'gradebook', 'gradebook.csv'), 'utf8')).toBe(await readFile(path.join(unsharded, 'gradebook.csv'), 'utf8'));
  }, 180_000);
});

describe('gradebook merge from the command line', () => {
  it('exits 1 and names duplicates when a shard is given twice, and 2 for a folder that is no shard', () => {
    // An unsharded run is shard 0/1.
    const shard = unsharded;
    const twice = spawnSync(process.execPath, [CLI, 'gradebook', 'merge', shard, shard, '--out', path.join(work, 'twice')], { encoding: 'utf8' });
    expect(twice.status).toBe(1);
    expect(twice.stderr).toContain('duplicate: ');
    expect(twice.stderr).not.toContain('missing');
    const notShard = spawnSync(process.execPath, [CLI, 'gradebook', 'merge', repo, '--out', path.join(work, 'none')], { encoding: 'utf8' });
    expect(notShard.status).toBe(2);
    expect(notShard.stderr).toContain('holds no shard.json');
  });
});

describe('the Dockerfile', () => {
  it('is Node 20 slim, runs the CLI as a non-root user', async () => {
    const text = await readFile(path.join(ROOT, 'Dockerfile'), 'utf8');
    const from = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(from.every((image) => image === 'node:20-slim')).toBe(true);
    expect(text).toMatch(/^USER node$/m);
    expect(text).toMatch(/^ENTRYPOINT \["mlops-labs"\]$/m);
  });
});
