/**
 * A lab whose tests run a real ONNX model with onnxruntime-node: the grader grants the addon and read access to
 * the runtime's packages and the lab's assets, and nothing else.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../src/core/catalog/types';
import { Grader } from '../../../src/grader/grader';
import { labJson, tempDir, writeTree } from '../helpers';
import { HARNESS } from './fixtures';

/** y = x + [1, 2]: the smallest model that proves a session really runs. */
function addBiasModel(): Uint8Array {
  const io = (name: string) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: 2 }] } } },
    });
  const bias = onnx.TensorProto.create({ name: 'bias', dataType: onnx.TensorProto.DataType.FLOAT, dims: [2], floatData: [1, 2] });
  const graph = onnx.GraphProto.create({
    name: 'add',
    node: [onnx.NodeProto.create({ opType: 'Add', input: ['x', 'bias'], output: ['y'] })],
    initializer: [bias],
    input: [io('x')],
    output: [io('y')],
  });
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 13 }], graph })).finish();
}

const TEST = `import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { predict } from '../src/predict';

describe('onnx', () => {
  it('runs the model from the lab assets', async () => {
    const bytes = readFileSync(path.join(process.env.MLOPS_LAB_ASSETS ?? '', 'add.onnx'));
    const session = await ort.InferenceSession.create(bytes);
    assert.deepEqual(await predict(session, [1, 1, 3, 4]), [2, 3, 4, 6]);
  });
});
`;

const SOLUTION = `import * as ort from 'onnxruntime-node';
export async function predict(session: ort.InferenceSession, rows: number[]): Promise<number[]> {
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(rows), [rows.length / 2, 2]) });
  return Array.from(out['y'].data as Float32Array);
}
`;

let root: string;
let lab: Lab;
const grader = new Grader({ harness: HARNESS });
beforeAll(async () => {
  root = await tempDir();
  const dir = path.join(root, 'onnx-lab');
  await writeTree(dir, {
    'lab.json': labJson({
      id: 'onnx-lab',
      tasks: [{ id: 1, title: 'Predict', points: 10, tests: ['onnx > runs the model from the lab assets'] }],
      runtime: { onnxruntime: true, timeoutMs: 10000, memoryMb: 256 },
    }),
    'tests/hidden/onnx.test.ts': TEST,
  });
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'assets/add.onnx'), addBiasModel());
  await writeTree(root, { 'submission/src/predict.ts': SOLUTION });
  lab = {
    ...JSON.parse(
      labJson({
        id: 'onnx-lab',
        tasks: [{ id: 1, title: 'Predict', points: 10, tests: ['onnx > runs the model from the lab assets'] }],
        runtime: { onnxruntime: true, timeoutMs: 10000, memoryMb: 256 },
      }),
    ),
    qualifiedId: 'test/onnx-lab',
    packId: 'test',
    dir,
  };
});
afterAll(() => grader.dispose());

describe('grading an onnxruntime lab', () => {
  it('runs a real ONNX Runtime session inside the isolated child, with addons allowed', async () => {
    const report = await grader.grade({ lab, submissionDir: path.join(root, 'submission'), suite: 'hidden' });
    expect(report.message).toBeNull();
    expect(report.status).toBe('pass');
    expect(report.protections).toMatchObject({ addons: true, permissionModel: 'enforced' });
  });
});
