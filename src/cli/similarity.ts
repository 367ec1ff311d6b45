/**
 * `mlops-labs similarity <submissions…> --lab <id>`: fingerprints every submission of one lab, scores the
 * pairs that share code beyond the starter and beyond what most submissions share (src/core/similarity),
 * and writes similarity.json and similarity.html (the pairs above the threshold, matching code side by
 * side). Submissions are what `grade --pack … --submissions` reads: zips, unpacked folders, lab workspaces.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { readFolder } from '../core/io/files';
import { DEFAULTS, fingerprint, matchingSpans, similarPairs, starterHashes, bestPartners, type SimilarityOptions } from '../core/similarity/compare';
import type { SourceFile } from '../core/similarity/winnow';
import { openCatalog, resolveLab, UsageError } from './context';
import { NOT_A_VERDICT, similarityPage, type ListedPair } from './similarity-page';
import { findSubmissions } from './take-home';
import { labSources, sourceFiles } from './submission-sources';

export interface SimilarityCommandOptions extends SimilarityOptions {
  lab: string;
  pack: readonly string[];
  submissions: readonly string[];
  out?: string;
}

export interface SimilarityResult {
  lab: string;
  submissions: number;
  skipped: { submission: string; reason: string }[];
  listed: ListedPair[];
  /** Each submission's highest-scoring partner, for a gradebook column. */
  best: Map<string, { partner: string; score: number }>;
  durationMs: number;
}

export async function similarityOf(options: SimilarityCommandOptions): Promise<SimilarityResult> {
  const started = performance.now();
  const threshold = options.threshold ?? DEFAULTS.threshold;
  const lab = await resolveLab(await openCatalog([...options.pack]), options.lab);
  const starter = starterHashes(sourceFiles(await readFolder(path.join(lab.dir, 'starter'))));
  const found = await findSubmissions(options.submissions);
  if (found.length === 0) throw new UsageError(`no submissions (.zip files or folders holding manifest.json) in ${options.submissions.join(', ')}`);
  const skipped: SimilarityResult['skipped'] = [];
  const sources = new Map<string, SourceFile[]>();
  for (const submission of found) {
    try {
      const files = await labSources(submission.file, lab);
      if (files.length === 0) skipped.push({ submission: submission.candidate, reason: `no ${lab.id} source files` });
      else sources.set(submission.candidate, files);
    } catch (error) {
      skipped.push({ submission: submission.candidate, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const docs = [...sources].map(([name, files]) => fingerprint({ name, files }, starter));
  const { pairs, common } = similarPairs(docs, options);
  const listed = pairs
    .filter((p) => p.score >= threshold)
    .map((p) => {
      const [a, b] = [docs[p.a], docs[p.b]] as [(typeof docs)[number], (typeof docs)[number]];
      return { a: a.name, b: b.name, score: p.score, shared: p.shared, spans: matchingSpans(a, b, common) };
    });
  const result = { lab: lab.qualifiedId, submissions: docs.length, skipped, listed, best: bestPartners(docs, pairs), durationMs: 0 };
  if (options.out) {
    await mkdir(options.out, { recursive: true });
    const round = (n: number) => Math.round(n * 1000) / 1000;
    const json = {
      lab: lab.qualifiedId,
      labVersion: lab.version,
      note: NOT_A_VERDICT,
      threshold,
      submissions: docs.length,
      pairsSharingCode: pairs.length,
      ignoredCommonFingerprints: common.size,
      skipped,
      pairs: listed.map((p) => ({ ...p, score: round(p.score) })),
      best: Object.fromEntries(
        [...result.best].sort(([x], [y]) => x.localeCompare(y)).map(([name, b]) => [name, { partner: b.partner, score: round(b.score) }]),
      ),
    };
    await writeFile(path.join(options.out, 'similarity.json'), `${JSON.stringify(json, null, 2)}\n`);
    await writeFile(
      path.join(options.out, 'similarity.html'),
      similarityPage({
        lab: lab.qualifiedId,
        threshold,
        submissions: docs.length,
        compared: pairs.length,
        ignoredCommon: common.size,
        pairs: listed,
        sources,
        generatedAt: new Date(),
      }),
    );
  }
  result.durationMs = performance.now() - started;
  return result;
}

/** What the command prints: the listed pairs, best first (twenty at most), and that they are no verdict. */
export function summaryText(result: SimilarityResult, report: string): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return [
    `compared ${plural(result.submissions, 'submission')} of ${result.lab} in ${(result.durationMs / 1000).toFixed(1)} s: ${plural(result.listed.length, 'pair')} at or above the threshold`,
    ...result.listed.slice(0, 20).map((pair) => `  ${`${Math.round(pair.score * 100)}%`.padStart(4)}  ${pair.a}  ${pair.b}`),
    ...(result.listed.length > 20 ? [`  … and ${result.listed.length - 20} more in the report`] : []),
    NOT_A_VERDICT,
    `report: ${report}`,
  ].join('\n');
}
