// The point-in-time-join lab's reference join on 100k entity rows against 150k feature rows, beside a nested
// loop over the same tables: the loop is timed on a sample of entity rows and scaled up, since the full loop
// would take minutes. A figure to read, never a test: the hidden suite judges the join by counting reads.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const MINUTE = 60_000;
const SAMPLE = 200;

/** A small deterministic generator (mulberry32), so every run joins the same tables. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function tables() {
  const rng = random(7);
  const span = 7 * 24 * 60 * MINUTE;
  const row = (entity, t, created, values) => ({ entity, eventTimestamp: t, createdTimestamp: created, values });
  const drivers = Array.from({ length: 100_000 }, () => {
    const t = Math.floor(rng() * span);
    return row({ driver_id: Math.floor(rng() * 1000) }, t, t, { trips: Math.floor(rng() * 50) });
  });
  const customers = Array.from({ length: 50_000 }, () => {
    const t = Math.floor(rng() * span);
    return row({ customer_id: `c${Math.floor(rng() * 1000)}` }, t, t, { spend: Math.floor(rng() * 500) / 4 });
  });
  const views = [
    { name: 'driver_hourly', joinKeys: ['driver_id'], features: ['trips'], ttlMs: 60 * MINUTE, rows: drivers },
    { name: 'customer_profile', joinKeys: ['customer_id'], features: ['spend'], ttlMs: 0, rows: customers },
  ];
  const entityRows = Array.from({ length: 100_000 }, () => ({
    entity: { driver_id: Math.floor(rng() * 1000), customer_id: `c${Math.floor(rng() * 1000)}` },
    eventTimestamp: Math.floor(rng() * span),
  }));
  return { views, entityRows };
}

/** Every feature row of every view for each entity row: what a join without sorting does. */
function nestedLoop(entityRows, views) {
  return entityRows.map((e) => {
    const out = [];
    for (const v of views) {
      let best;
      for (const r of v.rows) {
        if (!v.joinKeys.every((k) => r.entity[k] === e.entity[k])) continue;
        if (r.eventTimestamp > e.eventTimestamp || (v.ttlMs > 0 && r.eventTimestamp < e.eventTimestamp - v.ttlMs)) continue;
        if (!best || r.eventTimestamp > best.eventTimestamp || (r.eventTimestamp === best.eventTimestamp && r.createdTimestamp >= best.createdTimestamp))
          best = r;
      }
      for (const f of v.features) out.push(best ? (best.values[f] ?? null) : null);
    }
    return out;
  });
}

export async function measureJoin() {
  mkdirSync(path.join(root, '.tmp'), { recursive: true });
  const out = mkdtempSync(path.join(root, '.tmp', 'bench-join-'));
  try {
    const outfile = path.join(out, 'pit.cjs');
    await esbuild.build({
      entryPoints: [path.join(root, 'labs/point-in-time-join/solution/pit.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      logLevel: 'silent',
    });
    const { getHistoricalFeatures } = require(outfile);
    const { views, entityRows } = tables();
    let started = performance.now();
    const joined = getHistoricalFeatures(entityRows, views);
    const joinMs = performance.now() - started;
    const sample = entityRows.slice(0, SAMPLE);
    started = performance.now();
    const expected = nestedLoop(sample, views);
    const nestedMs = ((performance.now() - started) * entityRows.length) / SAMPLE;
    // The figure is only worth printing if the two agree.
    const got = joined.slice(0, SAMPLE).map((r) => views.flatMap((v) => v.features.map((f) => r.features[`${v.name}__${f}`])));
    if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error('the reference join and the nested loop disagree');
    return { rows: entityRows.length, featureRows: views.reduce((n, v) => n + v.rows.length, 0), joinMs, nestedMs, ratio: nestedMs / joinMs };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await measureJoin());
