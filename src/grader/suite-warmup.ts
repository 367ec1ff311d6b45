import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Lab } from '../core/catalog/types';
import { bundleTests } from './bundle';
import { layOut, WARM_PREFIX } from './layout';
import type { Suite } from './types';

/** What names a lab suite's cached bundles (bundle.ts): the lab, its version, the suite and its files' digest. */
export function suiteKeyOf(lab: Lab, suite: Suite, testsDigest: string): string {
  return JSON.stringify([lab.id, lab.version, suite, testsDigest]);
}

/** Labs whose suites this process has bundled ahead of need (once each: every batch worker prepares the same lab). */
const warmedSuites = new Set<string>();

/**
 * Bundles a lab's hidden and public suites before its first grade, against the starter's exports (a submission
 * nearly always keeps them, and the bundle cache is keyed by them), and so also starts esbuild's service: the
 * first Submit in a lab window then bundles only the candidate's src/. Best effort: a failure costs only the head
 * start; the grade bundles as it would have. Settles when done (callers need not wait), never rejects.
 */
export function warmSuiteBundles(lab: Lab, aliases: () => Record<string, string>, workDir: string): Promise<void> {
  const key = `${lab.qualifiedId}@${lab.version}`;
  if (warmedSuites.has(key)) return Promise.resolve();
  warmedSuites.add(key);
  const warm = async () => {
    await mkdir(workDir, { recursive: true, mode: 0o700 });
    const scratch = await mkdtemp(path.join(workDir, WARM_PREFIX));
    try {
      await cp(path.join(lab.dir, 'starter'), path.join(scratch, 'src'), { recursive: true });
      for (const suite of ['hidden', 'public'] as const) {
        const layout = await layOut(lab.dir, scratch, suite, undefined, workDir);
        try {
          if (layout.testFiles.length === 0) continue;
          const options = { assetsDir: path.join(lab.dir, 'assets'), aliases: aliases(), candidateTests: false };
          await bundleTests(layout.dir, layout.testFiles, options, suiteKeyOf(lab, suite, layout.testsDigest));
        } finally {
          await rm(layout.dir, { recursive: true, force: true });
        }
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  };
  return warm().catch(() => undefined);
}
