/**
 * When a submission's `src/` no longer matches its manifest, the frozen copy in the same zip may still do:
 * the History attempt of kind `frozen` (the files as they stood when time ran out). A copy counts only
 * when every one of its files is listed in the manifest with a matching SHA-256.
 */
import { sha256 } from '../io/hash';
import type { SubmissionManifest } from './submission';

export interface VerifiedCopy {
  /** Where it came from in the zip, e.g. `labs/latency-slo/history/frozen/files/`. */
  prefix: string;
  files: Map<string, Buffer>;
}

const verified = (files: ReadonlyMap<string, Buffer>, manifest: SubmissionManifest, rel: string) => {
  const data = files.get(rel);
  return data !== undefined && manifest.files[rel] === sha256(data);
};

/** Whether any file under `labs/<lab>/src/` fails its checksum, is missing or is unlisted. */
export function srcTampered(files: ReadonlyMap<string, Buffer>, manifest: SubmissionManifest, labId: string): boolean {
  const prefix = `labs/${labId}/src/`;
  const listed = Object.keys(manifest.files).filter((rel) => rel.startsWith(prefix));
  const present = [...files.keys()].filter((rel) => rel.startsWith(prefix));
  return listed.some((rel) => !verified(files, manifest, rel)) || present.some((rel) => !(rel in manifest.files));
}

/** The lab's frozen copy, when the zip holds one whose files and attempt.json all match the manifest. */
export function verifiedFrozenCopy(files: ReadonlyMap<string, Buffer>, manifest: SubmissionManifest, labId: string): VerifiedCopy | undefined {
  const history = `labs/${labId}/history/`;
  const attempts = new Set(
    [...files.keys()].filter((rel) => rel.startsWith(history) && rel.endsWith('/attempt.json')).map((rel) => rel.slice(0, -'attempt.json'.length)),
  );
  for (const dir of [...attempts].sort()) {
    const metaPath = `${dir}attempt.json`;
    if (!verified(files, manifest, metaPath)) continue;
    let kind: unknown;
    try {
      kind = (JSON.parse((files.get(metaPath) as Buffer).toString('utf8')) as { kind?: unknown }).kind;
    } catch {
      continue;
    }
    if (kind !== 'frozen') continue;
    const prefix = `${dir}files/`;
    const inZip = [...files.keys()].filter((rel) => rel.startsWith(prefix));
    const listed = Object.keys(manifest.files).filter((rel) => rel.startsWith(prefix));
    if (listed.length === 0 || inZip.length !== listed.length || !listed.every((rel) => verified(files, manifest, rel))) continue;
    return { prefix, files: new Map(inZip.map((rel) => [rel.slice(prefix.length), files.get(rel) as Buffer])) };
  }
  return undefined;
}
