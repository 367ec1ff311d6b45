import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../../src/core/io/hash';
import type { SubmissionManifest } from '../../../../src/core/take-home/submission';
import { srcTampered, verifiedFrozenCopy } from '../../../../src/core/take-home/verified-copy';

const buf = (s: string) => Buffer.from(s);
const LAB = 'latency-slo';

/** A zip's files and a manifest listing them as exported. */
function exported(entries: Record<string, string>): { files: Map<string, Buffer>; manifest: SubmissionManifest } {
  const files = new Map(Object.entries(entries).map(([k, v]) => [k, buf(v)]));
  const manifest = { files: Object.fromEntries([...files].map(([k, v]) => [k, sha256(v)])) } as unknown as SubmissionManifest;
  return { files, manifest };
}

const ZIP = {
  [`labs/${LAB}/src/slo.ts`]: 'frozen code',
  [`labs/${LAB}/history/a1/attempt.json`]: JSON.stringify({ id: 'a1', kind: 'graded', files: ['slo.ts'] }),
  [`labs/${LAB}/history/a1/files/slo.ts`]: 'older code',
  [`labs/${LAB}/history/z9/attempt.json`]: JSON.stringify({ id: 'z9', kind: 'frozen', files: ['slo.ts'] }),
  [`labs/${LAB}/history/z9/files/slo.ts`]: 'frozen code',
};

describe('the verified frozen copy', () => {
  it('sees src/ changed, added to or missing a file after export', () => {
    const { files, manifest } = exported(ZIP);
    expect(srcTampered(files, manifest, LAB)).toBe(false);
    expect(srcTampered(new Map(files).set(`labs/${LAB}/src/slo.ts`, buf('edited')), manifest, LAB)).toBe(true);
    expect(srcTampered(new Map(files).set(`labs/${LAB}/src/extra.ts`, buf('x')), manifest, LAB)).toBe(true);
    const missing = new Map(files);
    missing.delete(`labs/${LAB}/src/slo.ts`);
    expect(srcTampered(missing, manifest, LAB)).toBe(true);
  });

  it('is the frozen attempt whose files all match the manifest, never a graded one', () => {
    const { files, manifest } = exported(ZIP);
    files.set(`labs/${LAB}/src/slo.ts`, buf('edited after export'));
    const copy = verifiedFrozenCopy(files, manifest, LAB);
    expect(copy?.prefix).toBe(`labs/${LAB}/history/z9/files/`);
    expect([...(copy?.files ?? [])].map(([k, v]) => [k, v.toString()])).toEqual([['slo.ts', 'frozen code']]);
  });

  it('is not there when the frozen copy was edited too, holds an unlisted file, or the zip has none', () => {
    const edited = exported(ZIP);
    edited.files.set(`labs/${LAB}/history/z9/files/slo.ts`, buf('edited too'));
    expect(verifiedFrozenCopy(edited.files, edited.manifest, LAB)).toBeUndefined();
    const added = exported(ZIP);
    added.files.set(`labs/${LAB}/history/z9/files/more.ts`, buf('added'));
    expect(verifiedFrozenCopy(added.files, added.manifest, LAB)).toBeUndefined();
    const relabelled = exported(ZIP);
    relabelled.files.set(`labs/${LAB}/history/a1/attempt.json`, buf(JSON.stringify({ id: 'a1', kind: 'frozen' })));
    relabelled.files.delete(`labs/${LAB}/history/z9/attempt.json`);
    expect(verifiedFrozenCopy(relabelled.files, relabelled.manifest, LAB)).toBeUndefined();
    const none = exported({ [`labs/${LAB}/src/slo.ts`]: 'code' });
    expect(verifiedFrozenCopy(none.files, none.manifest, LAB)).toBeUndefined();
  });
});
