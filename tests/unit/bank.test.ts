/**
 * Checks over the whole built-in question bank (questions/): it loads without a problem, covers every
 * question of the seed document, keeps the difficulty spread, and its code blocks render and compile.
 */
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog } from '../../src/core/catalog/catalog';
import { SECTIONS } from '../../src/core/catalog/sections';
import { FENCE_LANGUAGE_NAMES, parseFenceInfo } from '../../src/render/languages';
import { typeErrors } from './ts-snippets';

const ROOT = path.resolve(__dirname, '../..');

/** The 36 questions of the seed document, by section: the bank must always answer each of them. */
const SEED_QUESTIONS: Record<string, string[]> = {
  'training-frameworks': ['pytorch-vs-tensorflow', 'eval-vs-no-grad', 'jax-when-to-use', 'gpu-memory-strategies', 'dataloader-optimization'],
  'distributed-training': ['data-vs-model-parallelism', 'deepspeed-zero-stages', 'horovod-vs-ddp', 'batchnorm-distributed'],
  'experiment-tracking': ['mlflow-components', 'mlflow-wandb-neptune', 'hyperparameter-tuning-tracking'],
  'versioning-registry': ['dvc-with-git', 'mlflow-model-registry', 'model-versioning-metadata'],
  serving: ['tfserving-torchserve-triton', 'onnx-deployment', 'ab-testing-models', 'dynamic-batching-inference'],
  optimization: ['quantization-ptq-qat', 'knowledge-distillation', 'pruning-techniques'],
  pipelines: ['kubeflow-airflow-prefect', 'metaflow-netflix', 'pipeline-caching-artifacts'],
  'feature-stores': ['feature-store-purpose', 'feast-tecton-databricks', 'point-in-time-joins'],
  monitoring: ['drift-types', 'evidently-whylabs-great-expectations', 'production-metrics', 'degradation-alerting'],
  'ml-testing': ['ml-test-types', 'fairness-bias-testing', 'shadow-deployment-how', 'reproducibility-validation'],
};

let catalog: Catalog;

beforeAll(async () => {
  catalog = await loadCatalog([ROOT]);
});

interface Fence {
  info: string;
  code: string;
  file: string;
}

function fences(markdown: string, file: string): Fence[] {
  const found: Fence[] = [];
  const pattern = /^(\s*)(`{3,}|~{3,})(.*)\n([\s\S]*?)^\1\2\s*$/gm;
  for (const match of markdown.matchAll(pattern)) found.push({ info: (match[3] ?? '').trim(), code: match[4] ?? '', file });
  return found;
}

describe('the question bank', () => {
  it('loads every file without a problem', () => {
    expect(catalog.problems.map((p) => `${path.relative(ROOT, p.file)}: ${p.message}`)).toEqual([]);
  });

  it('answers all 36 questions of the seed document, each in its section', () => {
    const seedIds = Object.values(SEED_QUESTIONS).flat();
    expect(seedIds).toHaveLength(36);
    for (const [section, ids] of Object.entries(SEED_QUESTIONS)) {
      for (const id of ids) expect(catalog.question(`core/${id}`)?.section, `core/${id}`).toBe(section);
    }
  });

  it('holds at least 100 questions with unique ids and unique titles', () => {
    expect(catalog.questions.length).toBeGreaterThanOrEqual(100);
    const ids = catalog.questions.map((q) => q.qualifiedId);
    expect(new Set(ids).size).toBe(ids.length);
    const titles = catalog.questions.map((q) => q.title.trim().toLowerCase());
    expect(titles.filter((t, i) => titles.indexOf(t) !== i)).toEqual([]);
  });

  it.each(SECTIONS.map((s) => [s.slug]))('has at least eight questions in %s, at every difficulty', (slug) => {
    const inSection = catalog.questions.filter((q) => q.section === slug);
    expect(inSection.length).toBeGreaterThanOrEqual(8);
    expect(new Set(inSection.map((q) => q.difficulty))).toEqual(new Set(['junior', 'mid', 'senior']));
  });

  it('links only labs that are shipped or planned', () => {
    for (const q of catalog.questions) for (const lab of q.labIds) expect(catalog.labStatus(lab), `${q.id} → ${lab}`).not.toBe('unknown');
  });

  it('gives every question two or three follow-ups', () => {
    for (const q of catalog.questions) {
      const items = q.body.followUps.split('\n').filter((line) => /^\s*[-*]\s+\S/.test(line));
      expect(items.length, q.id).toBeGreaterThanOrEqual(2);
      expect(items.length, q.id).toBeLessThanOrEqual(3);
    }
  });

  it('gives every question 3 to 7 key points, each one short statement', () => {
    const bad = catalog.questions.filter((q) => q.keyPoints.length < 3 || q.keyPoints.length > 7 || q.keyPoints.some((k) => k.length > 240)).map((q) => q.id);
    expect(bad).toEqual([]);
  });

  it('cites sources for every question: each a web address or a named primary document', () => {
    // A web address, optionally followed by a note on what it confirms: "https://… (what it says)".
    const url = /^https:\/\/[^\s/]+\.\S+( \(.+\))?$/;
    // A named document says what it is in words: a title, a paper with its venue, a file of a repository.
    const named = /^[^\s].*\s.*\S$/;
    const bad = catalog.questions.flatMap((q) => {
      const sources = q.sources ?? [];
      if (sources.length === 0) return [`${q.id}: no sources`];
      return sources.filter((s) => !url.test(s) && (!named.test(s) || /^https?:/.test(s))).map((s) => `${q.id}: "${s}"`);
    });
    expect(bad).toEqual([]);
  });

  it('names a language the highlighter loads on every fenced code block', () => {
    const bad: string[] = [];
    for (const q of catalog.questions) {
      for (const fence of fences(Object.values(q.body).join('\n\n'), q.id)) {
        if (!FENCE_LANGUAGE_NAMES.includes(fence.info.split(/\s+/)[0]?.toLowerCase() ?? '')) bad.push(`${q.id}: "${fence.info}"`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('type-checks every TypeScript block that is not marked as a fragment', () => {
    const blocks = catalog.questions.flatMap((q) =>
      fences(Object.values(q.body).join('\n\n'), q.id).filter((f) => {
        const info = parseFenceInfo(f.info);
        return info.language === 'typescript' && !info.fragment;
      }),
    );
    const errors = blocks.flatMap((block, i) => typeErrors(`block-${i}.ts`, block.code).map((e) => `${block.file}: ${e}`));
    expect(errors).toEqual([]);
  });
});

describe('the TypeScript snippet check itself', () => {
  it('passes a correct snippet that uses Node types', () => {
    expect(
      typeErrors('ok.ts', "import { createHash } from 'node:crypto';\nconst h: string = createHash('sha256').update('x').digest('hex');\nconsole.log(h);\n"),
    ).toEqual([]);
  });

  it('fails a snippet with a type error', () => {
    expect(typeErrors('bad.ts', 'const n: number = "seven";\n').join('\n')).toMatch(/not assignable to type 'number'/);
  });
});
