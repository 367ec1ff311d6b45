import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryStorage, ModelRegistry, parseModelUri, type PromotionPolicy, type RegistryStorage } from '../src/registry';

function registry(storage: RegistryStorage = memoryStorage()): ModelRegistry {
  let now = 0;
  return new ModelRegistry({ storage, clock: () => (now += 1000) });
}

describe('public: versions', () => {
  it('numbers versions from 1 and never reuses a deleted number', async () => {
    const r = registry();
    await r.createModel('fraud');
    for (let i = 1; i <= 3; i++) assert.equal((await r.registerVersion('fraud', { source: `runs:/r${i}/model` })).version, i);
    await r.deleteVersion('fraud', 3);
    assert.equal((await r.registerVersion('fraud', { source: 'runs:/r4/model' })).version, 4);
  });
});

describe('public: concurrency', () => {
  it('three registrations started together get 1, 2 and 3', async () => {
    // A storage whose every operation takes a little time, so naive read-then-write code interleaves.
    const inner = memoryStorage();
    const slow = (<K extends keyof RegistryStorage>(key: K) =>
      (async (...args: unknown[]) => {
        await new Promise((resolve) => setImmediate(resolve));
        return (inner[key] as (...a: unknown[]) => unknown)(...args);
      }) as RegistryStorage[K]);
    const storage: RegistryStorage = {
      getModel: slow('getModel'),
      putModel: slow('putModel'),
      getVersions: slow('getVersions'),
      putVersion: slow('putVersion'),
      appendAudit: slow('appendAudit'),
      getAudit: slow('getAudit'),
    };
    const r = registry(storage);
    await r.createModel('fraud');
    const versions = await Promise.all([1, 2, 3].map((i) => r.registerVersion('fraud', { source: `runs:/r${i}/model` })));
    assert.deepEqual(
      versions.map((v) => v.version),
      [1, 2, 3],
    );
  });
});

describe('public: aliases and tags', () => {
  it('setting an alias another version holds moves it', async () => {
    const r = registry();
    await r.createModel('fraud');
    await r.registerVersion('fraud', { source: 'a' });
    await r.registerVersion('fraud', { source: 'b' });
    await r.setAlias('fraud', 'champion', 1);
    await r.setAlias('fraud', 'champion', 2);
    assert.equal((await r.getVersionByAlias('fraud', 'champion')).version, 2);
    assert.deepEqual((await r.getVersion('fraud', 1)).aliases, []);
  });
});

describe('public: uris', () => {
  it('parses a version and an alias, and rejects a stage', () => {
    assert.deepEqual(parseModelUri('models:/fraud/3'), { name: 'fraud', version: 3 });
    assert.deepEqual(parseModelUri('models:/fraud@champion'), { name: 'fraud', alias: 'champion' });
    assert.throws(() => parseModelUri('models:/fraud/Production'), { code: 'INVALID_PARAMETER_VALUE' });
  });
});

describe('public: promotion', () => {
  it('promotes a better challenger and refuses a worse one, auditing both', async () => {
    const policy: PromotionPolicy = {
      objectives: [{ metric: 'auc', direction: 'higher', minImprovement: 0.125 }],
      guards: [{ metric: 'latency_ms', direction: 'lower', tolerance: 2 }],
    };
    const r = registry();
    await r.createModel('fraud');
    await r.registerVersion('fraud', { source: 'a', metrics: { auc: 0.5, latency_ms: 20 } });
    await r.registerVersion('fraud', { source: 'b', metrics: { auc: 0.75, latency_ms: 21 } });
    await r.registerVersion('fraud', { source: 'c', metrics: { auc: 1, latency_ms: 30 } });
    await r.setAlias('fraud', 'champion', 1);
    assert.equal((await r.promote('fraud', policy, 2)).promoted, true);
    const refused = await r.promote('fraud', policy, 3);
    assert.deepEqual(refused.reasons, [{ code: 'guard-regressed', metric: 'latency_ms', regression: 9, tolerance: 2 }]);
    assert.equal((await r.getVersionByAlias('fraud', 'champion')).version, 2);
    assert.deepEqual(
      (await r.auditTrail('fraud')).map((d) => d.promoted),
      [true, false],
    );
  });
});
