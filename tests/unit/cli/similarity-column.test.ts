import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { takeHomeGradebookCsv } from '../../../src/cli/formats';
import { addSimilarity } from '../../../src/cli/similarity-column';
import type { CandidateResult } from '../../../src/cli/take-home-result';
import type { Lab } from '../../../src/core/catalog/types';
import { tempDir, writeTree } from '../helpers';

const DIR = path.resolve(__dirname, '../../../labs/shadow-deployment');
const LAB = { id: 'shadow-deployment', qualifiedId: 'core/shadow-deployment', dir: DIR, tasks: [] } as unknown as Lab;
const SOLUTION = readFileSync(path.join(DIR, 'solution/router.ts'), 'utf8');
const STARTER = readFileSync(path.join(DIR, 'starter/router.ts'), 'utf8');

const result = (candidate: string, overrides: Partial<CandidateResult> = {}): CandidateResult => ({
  candidate,
  submission: candidate,
  pack: { id: 'core', version: '1.0.0' },
  late: false,
  tampered: false,
  flags: [],
  labs: [],
  points: 0,
  maxPoints: 0,
  ...overrides,
});

describe('the gradebook similarity column', () => {
  it('gives each graded candidate the closest other submission and its score, 0% to one sharing nothing particular', async () => {
    const dir = await tempDir();
    const marker = JSON.stringify({ lab: 'core/shadow-deployment', version: '1.0.0' });
    await writeTree(dir, {
      'ada/.mlops-lab.json': marker,
      'ada/src/router.ts': SOLUTION,
      'bob/.mlops-lab.json': marker,
      'bob/src/router.ts': SOLUTION.replace(/\bShadowRouter\b/g, 'Mirror'),
      'eve/manifest.json': '{}',
      'eve/labs/shadow-deployment/src/router.ts': STARTER,
      'zed/.mlops-lab.json': marker,
      'zed/src/router.ts': SOLUTION,
    });
    const results = [result('ada'), result('bob'), result('eve'), result('zed', { notGraded: 'unreadable' })];
    await addSimilarity(
      results,
      ['ada', 'bob', 'eve', 'zed'].map((c) => ({ candidate: c, file: path.join(dir, c) })),
      [LAB],
    );
    expect(results.map((r) => r.similarity)).toEqual([
      { score: 1, partner: 'bob', lab: 'shadow-deployment' },
      { score: 1, partner: 'ada', lab: 'shadow-deployment' },
      { score: 0 },
      undefined,
    ]);
    const rows = takeHomeGradebookCsv(results, [LAB]).trimEnd().split('\n');
    expect(rows[0]?.endsWith(',graded,similarity')).toBe(true);
    expect(rows.slice(1).map((r) => r.split(',').pop())).toEqual(['100% bob (shadow-deployment)', '100% ada (shadow-deployment)', '0%', '']);
  });

  it('leaves the gradebook columns as they were without --similarity', () => {
    expect(
      takeHomeGradebookCsv([result('ada')], [LAB])
        .split('\n')[0]
        ?.endsWith(',graded'),
    ).toBe(true);
  });
});
