/**
 * The take-home gradebook's `similarity` column (`grade --submissions … --similarity`): for each candidate,
 * the highest similarity score over the pack's labs with the partner's name, from the same fingerprints and
 * index as `mlops-labs similarity` (src/core/similarity). Submissions are read a second time, after grading,
 * so the grading loop stays as it is; similarity costs seconds for a thousand.
 */
import { readFolder } from '../core/io/files';
import * as path from 'node:path';
import type { Lab } from '../core/catalog/types';
import { bestPartners, DEFAULTS, fingerprint, similarPairs, starterHashes, type Fingerprinted } from '../core/similarity/compare';
import { labSources, sourceFiles } from './submission-sources';
import type { CandidateResult } from './take-home-result';

export async function addSimilarity(
  results: CandidateResult[],
  submissions: readonly { candidate: string; file: string }[],
  labs: readonly Lab[],
): Promise<void> {
  const graded = new Set(results.filter((r) => !r.notGraded).map((r) => r.candidate));
  for (const lab of labs) {
    const starter = starterHashes(sourceFiles(await readFolder(path.join(lab.dir, 'starter'))));
    const docs: Fingerprinted[] = [];
    for (const submission of submissions.filter((s) => graded.has(s.candidate))) {
      const files = await labSources(submission.file, lab).catch(() => []);
      if (files.length) docs.push(fingerprint({ name: submission.candidate, files }, starter));
    }
    const best = bestPartners(docs, similarPairs(docs).pairs);
    for (const result of results) {
      const mine = best.get(result.candidate);
      if (mine && (result.similarity?.score ?? -1) < mine.score) result.similarity = { ...mine, lab: lab.id };
    }
  }
  for (const result of results) {
    if (result.notGraded) continue;
    result.similarity ??= { score: 0 };
    // Above the listing threshold it is also a flag: the gradebook page's badge and a JUnit property, to talk about.
    const { score, partner, lab } = result.similarity;
    if (partner && score >= DEFAULTS.threshold)
      result.flags.push(`similar to ${partner} on ${lab ?? 'a lab'} (${Math.round(score * 100)}%): a reason to talk, not a verdict`);
  }
}
