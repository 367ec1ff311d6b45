/** A lab's code files in one submission, for similarity: what `grade --submissions` reads, the same way. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Lab } from '../core/catalog/types';
import { readFolder } from '../core/io/files';
import { readZip, SUBMISSION_ZIP_LIMITS } from '../core/io/zip';
import { readMarker } from '../core/labs/workspace';
import type { SourceFile } from '../core/similarity/winnow';
import { submissionFiles } from '../core/take-home/submission';

const CODE = /\.(?:[cm]?[jt]sx?)$/i;

export const sourceFiles = (files: ReadonlyMap<string, Buffer>): SourceFile[] =>
  [...files].filter(([rel]) => CODE.test(rel)).map(([rel, data]) => ({ path: rel.split(path.sep).join('/'), text: data.toString('utf8') }));

/** The lab's src/ files in one submission: an export's labs/<lab>/src/, or a workspace's src/ when its marker names the lab. */
export async function labSources(file: string, lab: Lab): Promise<SourceFile[]> {
  if (/\.zip$/i.test(file)) return sourceFiles(submissionFiles(await readZip(file, SUBMISSION_ZIP_LIMITS), lab.id, 'src'));
  if (existsSync(path.join(file, 'manifest.json')))
    return sourceFiles(submissionFiles(await readFolder(file, { files: SUBMISSION_ZIP_LIMITS.files, bytes: SUBMISSION_ZIP_LIMITS.bytes }), lab.id, 'src'));
  const marker = await readMarker(file);
  if (marker?.lab !== lab.qualifiedId) throw new Error(`the workspace is for ${marker?.lab ?? 'an unknown lab'}, not ${lab.qualifiedId}`);
  return sourceFiles(await readFolder(path.join(file, 'src')));
}
