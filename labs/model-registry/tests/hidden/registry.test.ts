import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  memoryStorage,
  ModelRegistry,
  parseModelUri,
  RegistryError,
  type PromotionDecision,
  type PromotionPolicy,
  type RegistryStorage,
  type StoredModel,
  type StoredVersion,
} from '../src/registry';

// ---------------------------------------------------------------------------------------------------------
// A storage the test drives. Every operation first waits at a gate while the storage is paused; the test then
// resumes the waiting operations one at a time in the order it chooses. Data is read or written only when an
// operation resumes, so the interleaving decides what each operation sees. Everything is copied in and out.

type Op = 'getModel' | 'putModel' | 'getVersions' | 'putVersion' | 'appendAudit' | 'getAudit';

interface Waiting {
  op: Op;
  model: string;
  resume: () => void;
}

const copy = <T>(value: T): T => structuredClone(value);

class ControlledStorage implements RegistryStorage {
  readonly models = new Map<string, StoredModel>();
  readonly rows: StoredVersion[] = [];
  readonly audit: PromotionDecision[] = [];
  readonly waiting: Waiting[] = [];
  readonly calls: { op: Op; model: string }[] = [];
  paused = false;
  private failures: { op: Op; error: Error }[] = [];

  failNext(op: Op, error: Error): void {
    this.failures.push({ op, error });
  }

  private async gate(op: Op, model: string): Promise<void> {
    this.calls.push({ op, model });
    if (this.paused) await new Promise<void>((resume) => this.waiting.push({ op, model, resume }));
    const failure = this.failures.findIndex((f) => f.op === op);
    if (failure >= 0) throw this.failures.splice(failure, 1)[0].error;
  }

  async getModel(name: string): Promise<StoredModel | undefined> {
    await this.gate('getModel', name);
    return copy(this.models.get(name));
  }
  async putModel(model: StoredModel): Promise<void> {
    await this.gate('putModel', model.name);
    this.models.set(model.name, copy(model));
  }
  async getVersions(name: string): Promise<StoredVersion[]> {
    await this.gate('getVersions', name);
    return copy(this.rows.filter((row) => row.name === name).reverse());
  }
  async putVersion(version: StoredVersion): Promise<void> {
    await this.gate('putVersion', version.name);
    const at = this.rows.findIndex((row) => row.name === version.name && row.version === version.version);
    if (at >= 0) this.rows.splice(at, 1, copy(version));
    else this.rows.push(copy(version));
  }
  async appendAudit(entry: PromotionDecision): Promise<void> {
    await this.gate('appendAudit', entry.model);
    this.audit.push(copy(entry));
  }
  async getAudit(name: string): Promise<PromotionDecision[]> {
    await this.gate('getAudit', name);
    return copy(this.audit.filter((entry) => entry.model === name));
  }
}

/** Lets every pending promise continuation run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Pick = (waiting: readonly Waiting[]) => number;
const oldestFirst: Pick = () => 0;
const newestFirst: Pick = (waiting) => waiting.length - 1;
function randomly(seed: number): Pick {
  const next = mulberry32(seed);
  return (waiting) => Math.floor(next() * waiting.length);
}

/**
 * Resumes waiting operations one at a time, chosen by `pick`, until every task has settled. Fails if the tasks
 * stop making progress (nothing waiting and something still pending).
 */
async function drive<T>(storage: ControlledStorage, tasks: Promise<T>[], pick: Pick): Promise<PromiseSettledResult<T>[]> {
  let done = false;
  const all = Promise.allSettled(tasks).then((results) => {
    done = true;
    return results;
  });
  for (let steps = 0; steps < 10_000; steps++) {
    await settle();
    if (done) return all;
    if (storage.waiting.length === 0) {
      await settle();
      await settle();
      if (done) return all;
      if (storage.waiting.length === 0) assert.fail('the registry stopped making progress: nothing is waiting on the storage and calls are still pending');
    }
    const [next] = storage.waiting.splice(pick(storage.waiting), 1);
    next.resume();
  }
  return assert.fail('too many storage operations');
}

function values<T>(results: PromiseSettledResult<T>[]): T[] {
  return results.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.equal((error as { code?: string }).code, code, `expected ${code}, got ${String(error)}`);
    return true;
  });
}

function throwsWith(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.equal((error as { code?: string }).code, code, `expected ${code}, got ${String(error)}`);
    return true;
  });
}

function setup(now = 1_000): { storage: ControlledStorage; registry: ModelRegistry; clock: { now: number } } {
  const storage = new ControlledStorage();
  const clock = { now };
  const registry = new ModelRegistry({ storage, clock: () => clock.now });
  return { storage, registry, clock };
}

const src = (n: number): { source: string } => ({ source: `runs:/run-${n}/model` });

async function withVersions(n: number, name = 'fraud'): Promise<{ storage: ControlledStorage; registry: ModelRegistry; clock: { now: number } }> {
  const env = setup();
  await env.registry.createModel(name);
  for (let i = 1; i <= n; i++) await env.registry.registerVersion(name, src(i));
  return env;
}

function seededRow(name: string, version: number, deleted = false): StoredVersion {
  return { name, version, source: `s3://models/${version}`, runId: null, tags: {}, metrics: {}, createdAt: 5, deleted };
}

// ---------------------------------------------------------------------------------------------------------

describe('versions', () => {
  it('numbers versions 1, 2, 3 per model, independently for each model', async () => {
    const { registry } = setup();
    await registry.createModel('fraud');
    await registry.createModel('churn');
    const a = await registry.registerVersion('fraud', src(1));
    const b = await registry.registerVersion('churn', src(2));
    const c = await registry.registerVersion('fraud', src(3));
    const d = await registry.registerVersion('fraud', src(4));
    assert.deepEqual(
      [a, b, c, d].map((v) => [v.name, v.version]),
      [
        ['fraud', 1],
        ['churn', 1],
        ['fraud', 2],
        ['fraud', 3],
      ],
    );
  });

  it('returns and stores the version with its source, run id, tags, metrics and clock time', async () => {
    const { registry, storage, clock } = setup(100);
    await registry.createModel('fraud', { description: 'card fraud', tags: { team: 'risk' } });
    clock.now = 2_500;
    const spec = Object.freeze({ source: 'runs:/abc/model', runId: 'abc', tags: Object.freeze({ owner: 'ana' }), metrics: Object.freeze({ auc: 0.75 }) });
    const v = await registry.registerVersion('fraud', spec);
    assert.deepEqual(v, { name: 'fraud', version: 1, source: 'runs:/abc/model', runId: 'abc', tags: { owner: 'ana' }, metrics: { auc: 0.75 }, aliases: [], createdAt: 2_500 });
    assert.deepEqual(storage.rows, [{ name: 'fraud', version: 1, source: 'runs:/abc/model', runId: 'abc', tags: { owner: 'ana' }, metrics: { auc: 0.75 }, createdAt: 2_500, deleted: false }]);
    const bare = await registry.registerVersion('fraud', { source: 's3://m/2' });
    assert.deepEqual([bare.runId, bare.tags, bare.metrics], [null, {}, {}]);
    assert.deepEqual(await registry.getModel('fraud'), { name: 'fraud', description: 'card fraud', tags: { team: 'risk' }, aliases: {}, createdAt: 100 });
    assert.deepEqual(storage.models.get('fraud'), { name: 'fraud', description: 'card fraud', tags: { team: 'risk' }, aliases: {}, createdAt: 100 });
  });

  it('never reuses a deleted number: 1, 2, 3, delete 3, then 4', async () => {
    const { registry, storage } = await withVersions(3);
    await registry.deleteVersion('fraud', 3);
    assert.equal((await registry.registerVersion('fraud', src(4))).version, 4);
    assert.deepEqual(
      (await registry.listVersions('fraud')).map((v) => v.version),
      [1, 2, 4],
    );
    const three = storage.rows.find((row) => row.version === 3);
    assert.equal(three?.deleted, true, 'the deleted row stays in storage, marked deleted');
    await rejectsWith(registry.getVersion('fraud', 3), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.deleteVersion('fraud', 3), 'RESOURCE_DOES_NOT_EXIST');
  });

  it('continues from what the storage holds, deleted rows and any row order included', async () => {
    const { registry, storage } = setup();
    storage.models.set('fraud', { name: 'fraud', description: '', tags: {}, aliases: {}, createdAt: 1 });
    storage.rows.push(seededRow('fraud', 2), seededRow('fraud', 7, true), seededRow('fraud', 5), seededRow('other', 40));
    assert.equal((await registry.registerVersion('fraud', src(1))).version, 8);
    assert.deepEqual(
      (await registry.listVersions('fraud')).map((v) => v.version),
      [2, 5, 8],
    );
  });

  it('refuses unknown models, taken names, bad names and bad specs', async () => {
    const { registry } = setup();
    await rejectsWith(registry.registerVersion('nope', src(1)), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.getModel('nope'), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.listVersions('nope'), 'RESOURCE_DOES_NOT_EXIST');
    await registry.createModel('fraud');
    await rejectsWith(registry.createModel('fraud'), 'RESOURCE_ALREADY_EXISTS');
    for (const name of ['', 'a/b', 'a@b']) await rejectsWith(registry.createModel(name), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.registerVersion('fraud', { source: '' }), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.registerVersion('fraud', {} as { source: string }), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.registerVersion('fraud', { source: 's', metrics: { auc: Number.NaN } }), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.registerVersion('fraud', { source: 's', metrics: { auc: Infinity } }), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.registerVersion('fraud', { source: 's', tags: { '': 'x' } }), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.registerVersion('fraud', { source: 's', tags: { k: 3 as unknown as string } }), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.createModel('churn', { tags: { '': 'x' } }), 'INVALID_PARAMETER_VALUE');
    assert.equal((await registry.registerVersion('fraud', src(1))).version, 1, 'refused specs take no number');
  });

  it('works over the given memoryStorage, and fails with RegistryError', async () => {
    const registry = new ModelRegistry({ storage: memoryStorage(), clock: () => 42 });
    assert.deepEqual(await registry.createModel('fraud'), { name: 'fraud', description: '', tags: {}, aliases: {}, createdAt: 42 });
    await registry.createModel('churn');
    for (let i = 1; i <= 3; i++) await registry.registerVersion('fraud', { source: `s${i}`, metrics: { auc: i / 4 } });
    await registry.setVersionTag('fraud', 2, 'validation_status', 'approved');
    await registry.setAlias('fraud', 'champion', 1);
    await registry.deleteVersion('fraud', 3);
    assert.equal((await registry.registerVersion('fraud', { source: 's4' })).version, 4);
    assert.equal((await registry.registerVersion('churn', { source: 'c1' })).version, 1);
    assert.deepEqual(
      (await registry.listVersions('fraud')).map((v) => [v.version, v.tags, v.aliases]),
      [
        [1, {}, ['champion']],
        [2, { validation_status: 'approved' }, []],
        [4, {}, []],
      ],
    );
    const policy: PromotionPolicy = { objectives: [{ metric: 'auc', direction: 'higher', minImprovement: 0.25 }] };
    assert.equal((await registry.promote('fraud', policy, 2)).promoted, true);
    assert.equal((await registry.promote('fraud', policy, 1)).promoted, false);
    assert.deepEqual(
      (await registry.auditTrail('fraud')).map((d) => [d.challenger, d.promoted]),
      [
        [2, true],
        [1, false],
      ],
    );
    assert.deepEqual(await registry.auditTrail('churn'), []);
    await assert.rejects(registry.getVersion('fraud', 3), (error: unknown) => error instanceof RegistryError && error.name === 'RegistryError' && error.code === 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('concurrency', () => {
  for (const [label, pick] of [
    ['oldest operation first', oldestFirst],
    ['newest operation first', newestFirst],
  ] as const) {
    it(`gives concurrent registrations 1..N with no duplicate or gap (${label})`, async () => {
      const { registry, storage } = setup();
      await registry.createModel('fraud');
      storage.paused = true;
      const tasks = [1, 2, 3, 4, 5].map((i) => registry.registerVersion('fraud', src(i)));
      const versions = values(await drive(storage, tasks, pick));
      assert.deepEqual(
        versions.map((v) => v.version).sort((a, b) => a - b),
        [1, 2, 3, 4, 5],
      );
      assert.deepEqual(
        storage.rows.map((row) => row.version).sort((a, b) => a - b),
        [1, 2, 3, 4, 5],
      );
    });
  }

  it('stays unique and gap-free over 40 random interleavings, in the order of the calls', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { registry, storage } = setup();
      await registry.createModel('fraud');
      await registry.registerVersion('fraud', src(0));
      storage.paused = true;
      const tasks = [1, 2, 3, 4].map((i) => registry.registerVersion('fraud', src(i)));
      const versions = values(await drive(storage, tasks, randomly(seed)));
      assert.deepEqual(
        versions.map((v) => v.version),
        [2, 3, 4, 5],
        `seed ${seed}`,
      );
    }
  });

  it('a registration that fails leaves no gap: the next one takes its number', async () => {
    const { registry, storage } = await withVersions(2);
    const boom = new Error('disk full');
    storage.failNext('putVersion', boom);
    await assert.rejects(registry.registerVersion('fraud', src(3)), (error) => error === boom);
    assert.equal((await registry.registerVersion('fraud', src(4))).version, 3);
    assert.deepEqual(
      (await registry.listVersions('fraud')).map((v) => v.version),
      [1, 2, 3],
    );
  });

  it('a failed registration does not block or skip the ones queued behind it', async () => {
    const { registry, storage } = await withVersions(1);
    storage.paused = true;
    const boom = new Error('connection reset');
    storage.failNext('getVersions', boom);
    const tasks = [registry.registerVersion('fraud', src(2)), registry.registerVersion('fraud', src(3)), registry.registerVersion('fraud', src(4))];
    const [first, ...rest] = await drive(storage, tasks, newestFirst);
    assert.equal(first.status, 'rejected');
    assert.equal((first as PromiseRejectedResult).reason, boom, 'the storage error passes through unchanged');
    assert.deepEqual(
      values(rest).map((v) => v.version),
      [2, 3],
    );
  });

  it('registrations of different models do not wait for each other', async () => {
    const { registry, storage } = setup();
    await registry.createModel('fraud');
    await registry.createModel('churn');
    storage.paused = true;
    const stuck = registry.registerVersion('fraud', src(1));
    await settle();
    const other = registry.registerVersion('churn', src(2));
    let result: number | undefined;
    void other.then((v) => (result = v.version));
    for (let i = 0; i < 50 && result === undefined; i++) {
      await settle();
      const at = storage.waiting.findIndex((w) => w.model === 'churn');
      if (at >= 0) storage.waiting.splice(at, 1)[0].resume();
    }
    assert.equal(result, 1, 'churn registered while a fraud registration was still waiting on the storage');
    storage.paused = false;
    for (const w of storage.waiting.splice(0)) w.resume();
    assert.equal((await stuck).version, 1);
  });

  it('two concurrent createModel calls for one name: one succeeds, one gets RESOURCE_ALREADY_EXISTS', async () => {
    const { registry, storage } = setup();
    storage.paused = true;
    const results = await drive(storage, [registry.createModel('fraud', { description: 'a' }), registry.createModel('fraud', { description: 'b' })], oldestFirst);
    assert.equal(results[0].status, 'fulfilled');
    assert.equal(results[1].status, 'rejected');
    assert.equal((results[1] as PromiseRejectedResult).reason.code, 'RESOURCE_ALREADY_EXISTS');
    assert.equal(storage.models.get('fraud')?.description, 'a');
  });

  it('concurrent alias and tag changes on one model are all kept (no lost update)', async () => {
    for (const pick of [oldestFirst, newestFirst, randomly(3), randomly(11)]) {
      const { registry, storage } = await withVersions(3);
      storage.paused = true;
      const tasks = [registry.setAlias('fraud', 'champion', 1), registry.setModelTag('fraud', 'team', 'risk'), registry.setAlias('fraud', 'challenger', 2), registry.setVersionTag('fraud', 3, 'validation_status', 'approved'), registry.setVersionTag('fraud', 3, 'owner', 'ana')];
      values(await drive(storage, tasks, pick));
      storage.paused = false;
      const model = await registry.getModel('fraud');
      assert.deepEqual(model.aliases, { champion: 1, challenger: 2 });
      assert.deepEqual(model.tags, { team: 'risk' });
      assert.deepEqual((await registry.getVersion('fraud', 3)).tags, { validation_status: 'approved', owner: 'ana' });
    }
  });

  it('an alias never points at a deleted version, whatever the interleaving', async () => {
    for (const pick of [oldestFirst, newestFirst, randomly(5)]) {
      const { registry, storage } = await withVersions(3);
      storage.paused = true;
      values(await drive(storage, [registry.setAlias('fraud', 'champion', 3), registry.deleteVersion('fraud', 3)], pick));
      storage.paused = false;
      assert.deepEqual((await registry.getModel('fraud')).aliases, {});
    }
  });
});

describe('aliases and tags', () => {
  it('follows the worked sequence: set, move, delete the version, register 4', async () => {
    const { registry } = await withVersions(3);
    await registry.setAlias('fraud', 'champion', 2);
    assert.equal((await registry.getVersionByAlias('fraud', 'champion')).version, 2);
    assert.deepEqual((await registry.getVersion('fraud', 2)).aliases, ['champion']);
    await registry.setAlias('fraud', 'champion', 3);
    assert.equal((await registry.getVersionByAlias('fraud', 'champion')).version, 3);
    assert.deepEqual((await registry.getVersion('fraud', 2)).aliases, [], 'the alias moved away from v2');
    await registry.deleteVersion('fraud', 3);
    await rejectsWith(registry.getVersionByAlias('fraud', 'champion'), 'RESOURCE_DOES_NOT_EXIST');
    assert.deepEqual((await registry.getModel('fraud')).aliases, {});
    assert.equal((await registry.registerVersion('fraud', src(4))).version, 4);
  });

  it('lets one version hold several aliases, listed sorted, and deletes them all with it', async () => {
    const { registry } = await withVersions(2);
    await registry.setAlias('fraud', 'prod-eu', 2);
    await registry.setAlias('fraud', 'champion', 2);
    await registry.setAlias('fraud', 'baseline', 1);
    await registry.setAlias('fraud', 'canary', 2);
    assert.deepEqual((await registry.getVersion('fraud', 2)).aliases, ['canary', 'champion', 'prod-eu']);
    assert.deepEqual(
      (await registry.listVersions('fraud')).map((v) => v.aliases),
      [['baseline'], ['canary', 'champion', 'prod-eu']],
    );
    await registry.deleteVersion('fraud', 2);
    assert.deepEqual((await registry.getModel('fraud')).aliases, { baseline: 1 });
  });

  it('keeps aliases per model: the same alias in two models is two aliases', async () => {
    const { registry } = await withVersions(2);
    await registry.createModel('churn');
    await registry.registerVersion('churn', src(9));
    await registry.setAlias('fraud', 'champion', 2);
    await registry.setAlias('churn', 'champion', 1);
    assert.equal((await registry.getVersionByAlias('fraud', 'champion')).version, 2);
    assert.equal((await registry.getVersionByAlias('churn', 'champion')).version, 1);
  });

  it('refuses an alias on a missing or deleted version, and deleting an unknown alias', async () => {
    const { registry } = await withVersions(2);
    await registry.deleteVersion('fraud', 2);
    await rejectsWith(registry.setAlias('fraud', 'champion', 2), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.setAlias('fraud', 'champion', 5), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.setAlias('nope', 'champion', 1), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.deleteAlias('fraud', 'champion'), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.getVersionByAlias('fraud', 'champion'), 'RESOURCE_DOES_NOT_EXIST');
    await registry.setAlias('fraud', 'champion', 1);
    await registry.deleteAlias('fraud', 'champion');
    assert.deepEqual((await registry.getModel('fraud')).aliases, {});
    assert.deepEqual((await registry.getVersion('fraud', 1)).aliases, []);
  });

  it('validates alias names: not empty, not latest in any case, not like v1, only letters, digits, _ and -', async () => {
    const { registry } = await withVersions(1);
    for (const alias of ['', 'latest', 'Latest', 'LATEST', 'v1', 'V12', 'a b', 'a@b', 'a/b', 'champion!']) {
      await rejectsWith(registry.setAlias('fraud', alias, 1), 'INVALID_PARAMETER_VALUE');
    }
    for (const alias of ['v', 'v1a', 'version1', 'prod_v1', 'A-1', '7']) await registry.setAlias('fraud', alias, 1);
    assert.deepEqual((await registry.getVersion('fraud', 1)).aliases, ['7', 'A-1', 'prod_v1', 'v', 'v1a', 'version1']);
  });

  it('sets, overwrites and deletes tags on models and versions', async () => {
    const { registry } = await withVersions(2);
    await registry.setModelTag('fraud', 'team', 'risk');
    await registry.setModelTag('fraud', 'team', 'payments');
    await registry.setModelTag('fraud', 'tier', '1');
    await registry.deleteModelTag('fraud', 'tier');
    await registry.deleteModelTag('fraud', 'never-set');
    assert.deepEqual((await registry.getModel('fraud')).tags, { team: 'payments' });
    await registry.setVersionTag('fraud', 2, 'validation_status', 'pending');
    await registry.setVersionTag('fraud', 2, 'validation_status', 'approved');
    await registry.setVersionTag('fraud', 2, 'dataset', 'holdout-2024-06');
    await registry.deleteVersionTag('fraud', 2, 'dataset');
    await registry.deleteVersionTag('fraud', 2, 'never-set');
    assert.deepEqual((await registry.getVersion('fraud', 2)).tags, { validation_status: 'approved' });
    assert.deepEqual((await registry.getVersion('fraud', 1)).tags, {});
  });

  it('refuses tags on missing or deleted targets and bad tag keys or values', async () => {
    const { registry } = await withVersions(2);
    await registry.deleteVersion('fraud', 2);
    await rejectsWith(registry.setVersionTag('fraud', 2, 'k', 'v'), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.deleteVersionTag('fraud', 2, 'k'), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.setVersionTag('fraud', 9, 'k', 'v'), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.setModelTag('nope', 'k', 'v'), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.deleteModelTag('nope', 'k'), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.setModelTag('fraud', '', 'v'), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.setVersionTag('fraud', 1, '', 'v'), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.setModelTag('fraud', 'k', 1 as unknown as string), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.setVersionTag('fraud', 1, 'k', null as unknown as string), 'INVALID_PARAMETER_VALUE');
  });
});

describe('uris', () => {
  it('parses fixed versions, latest and aliases', () => {
    assert.deepEqual(parseModelUri('models:/fraud/3'), { name: 'fraud', version: 3 });
    assert.deepEqual(parseModelUri('models:/fraud/03'), { name: 'fraud', version: 3 });
    assert.deepEqual(parseModelUri('models:/fraud/0'), { name: 'fraud', version: 0 });
    assert.deepEqual(parseModelUri('models:/fraud/latest'), { name: 'fraud', latest: true });
    assert.deepEqual(parseModelUri('models:/fraud@champion'), { name: 'fraud', alias: 'champion' });
    assert.deepEqual(parseModelUri('models:/card.fraud-v2@prod_eu'), { name: 'card.fraud-v2', alias: 'prod_eu' });
    assert.deepEqual(parseModelUri('models:/my model/12'), { name: 'my model', version: 12 });
  });

  it('rejects malformed URIs with INVALID_PARAMETER_VALUE', () => {
    const bad = [
      '',
      'fraud/3',
      'models:fraud/3',
      'model:/fraud/3',
      'runs:/abc/model',
      'models:/',
      'models:/fraud',
      'models:/fraud/',
      'models://3',
      'models://fraud/3',
      'models:/fraud/3/extra',
      'models:/a/b/3',
      'models:/fraud/-1',
      'models:/fraud/1.5',
      'models:/fraud/ 3',
      'models:/fraud/Production',
      'models:/fraud/Staging',
      'models:/fraud/v3',
      'models:/fraud@',
      'models:/@champion',
      'models:/fraud@latest',
      'models:/fraud@v2',
      'models:/fraud@champ ion',
      'models:/a/b@champion',
      'models:/fraud@champion/3',
      'models:/fraud@a@b',
    ];
    for (const uri of bad) throwsWith(() => parseModelUri(uri), 'INVALID_PARAMETER_VALUE');
  });

  it('resolves a fixed version, an alias that moves, and latest skipping deleted versions', async () => {
    const { registry } = await withVersions(3);
    assert.equal((await registry.resolve('models:/fraud/2')).source, 'runs:/run-2/model');
    await registry.setAlias('fraud', 'champion', 1);
    assert.equal((await registry.resolve('models:/fraud@champion')).version, 1);
    await registry.setAlias('fraud', 'champion', 3);
    const champion = await registry.resolve('models:/fraud@champion');
    assert.deepEqual([champion.version, champion.aliases], [3, ['champion']]);
    assert.equal((await registry.resolve('models:/fraud/latest')).version, 3);
    await registry.deleteVersion('fraud', 3);
    assert.equal((await registry.resolve('models:/fraud/latest')).version, 2);
  });

  it('resolves latest by number, not by the storage’s row order', async () => {
    const { registry, storage } = setup();
    storage.models.set('fraud', { name: 'fraud', description: '', tags: {}, aliases: {}, createdAt: 1 });
    storage.rows.push(seededRow('fraud', 10), seededRow('fraud', 12), seededRow('fraud', 9), seededRow('fraud', 11, true));
    assert.equal((await registry.resolve('models:/fraud/latest')).version, 12);
  });

  it('refuses to resolve what does not exist with RESOURCE_DOES_NOT_EXIST, and bad URIs with INVALID_PARAMETER_VALUE', async () => {
    const { registry } = await withVersions(2);
    await registry.createModel('empty');
    await registry.deleteVersion('fraud', 2);
    for (const uri of ['models:/fraud/2', 'models:/fraud/0', 'models:/fraud/9', 'models:/fraud@champion', 'models:/nope/1', 'models:/nope@champion', 'models:/nope/latest', 'models:/empty/latest']) {
      await rejectsWith(registry.resolve(uri), 'RESOURCE_DOES_NOT_EXIST');
    }
    await rejectsWith(registry.resolve('models:/fraud/Production'), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.resolve('models:/fraud'), 'INVALID_PARAMETER_VALUE');
  });
});

// ---------------------------------------------------------------------------------------------------------
// The gate. Metric values are multiples of 1/64, so every difference the tests rely on is exact.

const POLICY: PromotionPolicy = Object.freeze({
  objectives: Object.freeze([Object.freeze({ metric: 'auc', direction: 'higher' as const, minImprovement: 0.125 })]),
  guards: Object.freeze([Object.freeze({ metric: 'latency_ms', direction: 'lower' as const, tolerance: 2 })]),
});

async function gateModel(...metrics: Record<string, number>[]): Promise<{ registry: ModelRegistry; storage: ControlledStorage; clock: { now: number } }> {
  const env = setup();
  await env.registry.createModel('fraud');
  for (const [i, m] of metrics.entries()) await env.registry.registerVersion('fraud', { source: `runs:/r${i + 1}/model`, metrics: m });
  return env;
}

describe('promotion', () => {
  it('promotes a challenger that beats the champion by the minimum, and audits it', async () => {
    const { registry, clock } = await gateModel({ auc: 0.5, latency_ms: 20 }, { auc: 0.625, latency_ms: 22 });
    await registry.setAlias('fraud', 'champion', 1);
    clock.now = 9_000;
    const decision = await registry.promote('fraud', POLICY, 2);
    const expected = { model: 'fraud', challenger: 2, champion: 1, promoted: true, reasons: [], at: 9_000 };
    assert.deepEqual(decision, expected);
    assert.equal((await registry.getVersionByAlias('fraud', 'champion')).version, 2);
    assert.deepEqual(await registry.auditTrail('fraud'), [expected]);
  });

  it('refuses an improvement just under the minimum, keeps the champion, and audits the refusal', async () => {
    const { registry } = await gateModel({ auc: 0.5, latency_ms: 20 }, { auc: 0.609375, latency_ms: 20 });
    await registry.setAlias('fraud', 'champion', 1);
    const decision = await registry.promote('fraud', POLICY, 2);
    assert.equal(decision.promoted, false);
    assert.deepEqual(decision.reasons, [{ code: 'not-better', metric: 'auc', improvement: 0.109375, required: 0.125 }]);
    assert.equal((await registry.getVersionByAlias('fraud', 'champion')).version, 1);
    assert.deepEqual(await registry.auditTrail('fraud'), [decision]);
  });

  it('reads lower-is-better objectives the other way round', async () => {
    const policy: PromotionPolicy = { objectives: [{ metric: 'log_loss', direction: 'lower', minImprovement: 0.25 }] };
    const { registry } = await gateModel({ log_loss: 1 }, { log_loss: 0.75 }, { log_loss: 0.5625 }, { log_loss: 1.25 });
    await registry.setAlias('fraud', 'champion', 1);
    assert.deepEqual((await registry.promote('fraud', policy, 4)).reasons, [{ code: 'not-better', metric: 'log_loss', improvement: -0.25, required: 0.25 }]);
    assert.equal((await registry.promote('fraud', policy, 2)).promoted, true, 'exactly 0.25 lower is enough');
    assert.deepEqual((await registry.promote('fraud', policy, 3)).reasons, [{ code: 'not-better', metric: 'log_loss', improvement: 0.1875, required: 0.25 }]);
  });

  it('a minimum improvement of 0 accepts a tie but not a worse challenger', async () => {
    const policy: PromotionPolicy = { objectives: [{ metric: 'auc', direction: 'higher', minImprovement: 0 }] };
    const { registry } = await gateModel({ auc: 0.75 }, { auc: 0.734375 }, { auc: 0.75 });
    await registry.setAlias('fraud', 'champion', 1);
    assert.deepEqual((await registry.promote('fraud', policy, 2)).reasons, [{ code: 'not-better', metric: 'auc', improvement: -0.015625, required: 0 }]);
    assert.equal((await registry.promote('fraud', policy, 3)).promoted, true);
  });

  it('refuses a guard regression beyond its tolerance, allows one exactly at it, in both directions', async () => {
    const policy: PromotionPolicy = {
      objectives: [{ metric: 'auc', direction: 'higher', minImprovement: 0.0625 }],
      guards: [
        { metric: 'latency_ms', direction: 'lower', tolerance: 2 },
        { metric: 'recall', direction: 'higher', tolerance: 0.03125 },
      ],
    };
    const { registry } = await gateModel({ auc: 0.5, latency_ms: 20, recall: 0.75 }, { auc: 0.75, latency_ms: 22.5, recall: 0.6875 }, { auc: 0.75, latency_ms: 22, recall: 0.71875 });
    await registry.setAlias('fraud', 'champion', 1);
    const refused = await registry.promote('fraud', policy, 2);
    assert.deepEqual(refused.reasons, [
      { code: 'guard-regressed', metric: 'latency_ms', regression: 2.5, tolerance: 2 },
      { code: 'guard-regressed', metric: 'recall', regression: 0.0625, tolerance: 0.03125 },
    ]);
    assert.equal((await registry.promote('fraud', policy, 3)).promoted, true, 'regressions exactly at the tolerances pass');
  });

  it('an improving guard metric never blocks', async () => {
    const { registry } = await gateModel({ auc: 0.5, latency_ms: 20 }, { auc: 0.75, latency_ms: 5 });
    await registry.setAlias('fraud', 'champion', 1);
    assert.equal((await registry.promote('fraud', POLICY, 2)).promoted, true);
  });

  it('needs every objective, and lists every failing check in order: tags, objectives, guards', async () => {
    const policy: PromotionPolicy = {
      requiredTags: { validation_status: 'approved', fairness: 'passed' },
      objectives: [
        { metric: 'auc', direction: 'higher', minImprovement: 0.125 },
        { metric: 'p95_ms', direction: 'lower', minImprovement: 1 },
      ],
      guards: [{ metric: 'recall', direction: 'higher', tolerance: 0 }],
    };
    const { registry } = await gateModel({ auc: 0.5, p95_ms: 30, recall: 0.5 }, { auc: 0.75, p95_ms: 30.5, recall: 0.25 });
    await registry.setVersionTag('fraud', 2, 'validation_status', 'pending');
    await registry.setAlias('fraud', 'champion', 1);
    const decision = await registry.promote('fraud', policy, 2);
    assert.deepEqual(decision.reasons, [
      { code: 'tag-mismatch', key: 'validation_status', expected: 'approved', actual: 'pending' },
      { code: 'tag-mismatch', key: 'fairness', expected: 'passed', actual: null },
      { code: 'not-better', metric: 'p95_ms', improvement: -0.5, required: 1 },
      { code: 'guard-regressed', metric: 'recall', regression: 0.25, tolerance: 0 },
    ]);
    assert.equal(decision.promoted, false);
    await registry.setVersionTag('fraud', 2, 'validation_status', 'approved');
    await registry.setVersionTag('fraud', 2, 'fairness', 'passed');
    assert.deepEqual(
      (await registry.promote('fraud', { ...policy, guards: [] }, 2)).reasons,
      [{ code: 'not-better', metric: 'p95_ms', improvement: -0.5, required: 1 }],
    );
  });

  it('refuses on a missing metric, the challenger’s before the champion’s, and compares nothing for it', async () => {
    const { registry } = await gateModel({ latency_ms: 20 }, { auc: 0.75 }, { latency_ms: 10 });
    await registry.setAlias('fraud', 'champion', 1);
    assert.deepEqual((await registry.promote('fraud', POLICY, 2)).reasons, [
      { code: 'missing-metric', metric: 'auc', version: 1 },
      { code: 'missing-metric', metric: 'latency_ms', version: 2 },
    ]);
    assert.deepEqual((await registry.promote('fraud', POLICY, 3)).reasons, [
      { code: 'missing-metric', metric: 'auc', version: 3 },
      { code: 'missing-metric', metric: 'auc', version: 1 },
    ]);
  });

  it('with no champion, promotes a challenger that has every metric and tag; the decision says champion null', async () => {
    const policy: PromotionPolicy = { ...POLICY, requiredTags: { validation_status: 'approved' } };
    const { registry } = await gateModel({ auc: 0.25 }, { auc: 0.25, latency_ms: 900 });
    await registry.setVersionTag('fraud', 2, 'validation_status', 'approved');
    assert.deepEqual((await registry.promote('fraud', policy, 1)).reasons, [
      { code: 'tag-mismatch', key: 'validation_status', expected: 'approved', actual: null },
      { code: 'missing-metric', metric: 'latency_ms', version: 1 },
    ]);
    const decision = await registry.promote('fraud', policy, 2);
    assert.deepEqual([decision.champion, decision.promoted, decision.reasons], [null, true, []]);
    assert.equal((await registry.getVersionByAlias('fraud', 'champion')).version, 2);
  });

  it('takes the challenger alias when no version is given, and refuses the champion itself', async () => {
    const { registry } = await gateModel({ auc: 0.5, latency_ms: 20 }, { auc: 0.75, latency_ms: 20 });
    await rejectsWith(registry.promote('fraud', POLICY), 'RESOURCE_DOES_NOT_EXIST');
    await registry.setAlias('fraud', 'champion', 1);
    await registry.setAlias('fraud', 'challenger', 2);
    const decision = await registry.promote('fraud', POLICY);
    assert.deepEqual([decision.challenger, decision.champion, decision.promoted], [2, 1, true]);
    const again = await registry.promote('fraud', POLICY);
    assert.deepEqual(again.reasons, [{ code: 'already-champion' }]);
    assert.deepEqual([again.challenger, again.champion, again.promoted], [2, 2, false]);
    assert.deepEqual((await registry.getModel('fraud')).aliases, { champion: 2, challenger: 2 }, 'only champion moves');
    assert.equal((await registry.auditTrail('fraud')).length, 2);
  });

  it('audits every decision in order, per model, and nothing for calls that fail', async () => {
    const { registry, clock } = await gateModel({ auc: 0.5, latency_ms: 20 }, { auc: 0.5, latency_ms: 20 }, { auc: 0.75, latency_ms: 20 });
    await registry.createModel('churn');
    await registry.setAlias('fraud', 'champion', 1);
    clock.now = 10;
    const first = await registry.promote('fraud', POLICY, 2);
    await rejectsWith(registry.promote('fraud', POLICY, 9), 'RESOURCE_DOES_NOT_EXIST');
    await rejectsWith(registry.promote('fraud', { objectives: [] }, 3), 'INVALID_PARAMETER_VALUE');
    await rejectsWith(registry.promote('nope', POLICY, 1), 'RESOURCE_DOES_NOT_EXIST');
    clock.now = 20;
    const second = await registry.promote('fraud', POLICY, 3);
    assert.deepEqual(
      (await registry.auditTrail('fraud')).map((d) => [d.challenger, d.champion, d.promoted, d.at]),
      [
        [2, 1, false, 10],
        [3, 1, true, 20],
      ],
    );
    assert.deepEqual(await registry.auditTrail('fraud'), [first, second]);
    assert.deepEqual(await registry.auditTrail('churn'), []);
    await rejectsWith(registry.auditTrail('nope'), 'RESOURCE_DOES_NOT_EXIST');
  });

  it('refuses a deleted challenger, and a bad policy with INVALID_PARAMETER_VALUE', async () => {
    const { registry } = await gateModel({ auc: 0.5 }, { auc: 0.75 });
    await registry.deleteVersion('fraud', 2);
    await rejectsWith(registry.promote('fraud', POLICY, 2), 'RESOURCE_DOES_NOT_EXIST');
    const bad: PromotionPolicy[] = [
      { objectives: [] },
      { objectives: [{ metric: 'auc', direction: 'higher', minImprovement: -0.1 }] },
      { objectives: [{ metric: 'auc', direction: 'higher', minImprovement: Number.NaN }] },
      { objectives: [{ metric: 'auc', direction: 'up' as 'higher', minImprovement: 0 }] },
      { objectives: [{ metric: '', direction: 'higher', minImprovement: 0 }] },
      { objectives: [{ metric: 'auc', direction: 'higher', minImprovement: 0 }], guards: [{ metric: 'lat', direction: 'lower', tolerance: -1 }] },
      { objectives: [{ metric: 'auc', direction: 'higher', minImprovement: 0 }], guards: [{ metric: 'lat', direction: 'lower', tolerance: Infinity }] },
      { objectives: [{ metric: 'auc', direction: 'higher', minImprovement: 0 }], guards: [{ metric: 'lat', direction: 'down' as 'lower', tolerance: 1 }] },
      { objectives: [{ metric: 'auc', direction: 'higher', minImprovement: 0 }], requiredTags: { validation_status: 1 as unknown as string } },
    ];
    for (const policy of bad) await rejectsWith(registry.promote('fraud', policy, 1), 'INVALID_PARAMETER_VALUE');
    assert.deepEqual(await registry.auditTrail('fraud'), []);
  });

  it('audits a promotion only once the champion alias is stored: a failed write leaves no entry', async () => {
    const { registry, storage } = await gateModel({ auc: 0.5, latency_ms: 20 }, { auc: 0.75, latency_ms: 20 });
    await registry.setAlias('fraud', 'champion', 1);
    const boom = new Error('write failed');
    storage.failNext('putModel', boom);
    await assert.rejects(registry.promote('fraud', POLICY, 2), (error) => error === boom);
    assert.deepEqual(await registry.auditTrail('fraud'), []);
    assert.equal((await registry.getVersionByAlias('fraud', 'champion')).version, 1);
    assert.equal((await registry.promote('fraud', POLICY, 2)).promoted, true, 'the model is not left locked');
    assert.equal((await registry.auditTrail('fraud')).length, 1);
  });

  it('decides concurrent promotions one at a time, each against the champion the previous one left', async () => {
    for (const pick of [oldestFirst, newestFirst, randomly(7)]) {
      const { registry, storage } = await gateModel({ auc: 0.25, latency_ms: 20 }, { auc: 0.5, latency_ms: 20 }, { auc: 0.5625, latency_ms: 20 });
      await registry.setAlias('fraud', 'champion', 1);
      storage.paused = true;
      const [a, b] = values(await drive(storage, [registry.promote('fraud', POLICY, 2), registry.promote('fraud', POLICY, 3)], pick));
      storage.paused = false;
      assert.deepEqual([a.champion, a.promoted], [1, true]);
      assert.deepEqual([b.champion, b.promoted], [2, false], 'v3 was judged against v2, the champion v2’s promotion left');
      assert.equal((await registry.getVersionByAlias('fraud', 'champion')).version, 2);
      assert.deepEqual(
        (await registry.auditTrail('fraud')).map((d) => d.challenger),
        [2, 3],
      );
    }
  });
});
