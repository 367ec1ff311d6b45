/**
 * model-registry: registered models with versions numbered from 1, aliases, tags, `models:/` URIs and a
 * champion/challenger promotion gate with an audit trail, over an injected asynchronous storage. The README
 * gives every rule; the doc comments repeat the ones you need most.
 */

/** Why a call failed, with MLflow's error codes. */
export type ErrorCode = 'RESOURCE_DOES_NOT_EXIST' | 'RESOURCE_ALREADY_EXISTS' | 'INVALID_PARAMETER_VALUE';

/** The only error the registry throws itself. Errors from the storage pass through unchanged. */
export class RegistryError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'RegistryError';
    this.code = code;
  }
}

/** A registered model as the storage keeps it. */
export interface StoredModel {
  name: string;
  description: string;
  tags: Record<string, string>;
  /** alias → version number. An alias is unique within its model. */
  aliases: Record<string, number>;
  createdAt: number;
}

/** One version row. Deleting a version keeps its row with `deleted: true` (a soft delete). */
export interface StoredVersion {
  name: string;
  version: number;
  source: string;
  runId: string | null;
  tags: Record<string, string>;
  metrics: Record<string, number>;
  createdAt: number;
  deleted: boolean;
}

export type MetricDirection = 'higher' | 'lower';

export interface Objective {
  metric: string;
  /** Which way is better. */
  direction: MetricDirection;
  /** The challenger must be better than the champion by at least this much (≥ 0). */
  minImprovement: number;
}

export interface Guard {
  metric: string;
  direction: MetricDirection;
  /** The challenger may be worse than the champion by at most this much (≥ 0). */
  tolerance: number;
}

export interface PromotionPolicy {
  /** At least one. */
  objectives: readonly Objective[];
  guards?: readonly Guard[];
  /** Version tags the challenger must carry with exactly these values, e.g. { validation_status: 'approved' }. */
  requiredTags?: Readonly<Record<string, string>>;
}

export type RefusalReason =
  | { code: 'already-champion' }
  | { code: 'tag-mismatch'; key: string; expected: string; actual: string | null }
  | { code: 'missing-metric'; metric: string; version: number }
  | { code: 'not-better'; metric: string; improvement: number; required: number }
  | { code: 'guard-regressed'; metric: string; regression: number; tolerance: number };

/** One audit entry: every call of promote that reaches a decision writes exactly one. */
export interface PromotionDecision {
  model: string;
  challenger: number;
  /** The champion when the decision was made, or null when the model had none. */
  champion: number | null;
  promoted: boolean;
  /** Empty when promoted; otherwise every reason, in the README's order. */
  reasons: RefusalReason[];
  at: number;
}

/** The registry's only access to its data. Every operation may take any time; none is atomic with another. */
export interface RegistryStorage {
  getModel(name: string): Promise<StoredModel | undefined>;
  putModel(model: StoredModel): Promise<void>;
  /** Every version row of the model, deleted ones included, in any order. */
  getVersions(name: string): Promise<StoredVersion[]>;
  /** Inserts or replaces the row (name, version). */
  putVersion(version: StoredVersion): Promise<void>;
  appendAudit(entry: PromotionDecision): Promise<void>;
  /** The model's audit entries in the order they were appended. */
  getAudit(name: string): Promise<PromotionDecision[]>;
}

/** A simple in-memory storage (given complete). It copies everything in and out, as a database would. */
export function memoryStorage(): RegistryStorage {
  const models = new Map<string, StoredModel>();
  const versions = new Map<string, StoredVersion[]>();
  const audit = new Map<string, PromotionDecision[]>();
  return {
    getModel: async (name) => structuredClone(models.get(name)),
    putModel: async (model) => {
      models.set(model.name, structuredClone(model));
    },
    getVersions: async (name) => structuredClone(versions.get(name) ?? []),
    putVersion: async (version) => {
      const rows = (versions.get(version.name) ?? []).filter((row) => row.version !== version.version);
      versions.set(version.name, [...rows, structuredClone(version)]);
    },
    appendAudit: async (entry) => {
      audit.set(entry.model, [...(audit.get(entry.model) ?? []), structuredClone(entry)]);
    },
    getAudit: async (name) => structuredClone(audit.get(name) ?? []),
  };
}

export interface RegistryOptions {
  storage: RegistryStorage;
  /** Milliseconds; stamps createdAt and decisions. */
  clock: () => number;
}

export interface RegisteredModel {
  name: string;
  description: string;
  tags: Record<string, string>;
  aliases: Record<string, number>;
  createdAt: number;
}

export interface ModelVersion {
  name: string;
  version: number;
  source: string;
  runId: string | null;
  tags: Record<string, string>;
  metrics: Record<string, number>;
  /** The aliases that point at this version, sorted. */
  aliases: string[];
  createdAt: number;
}

export interface VersionSpec {
  /** Where the artifacts are, e.g. "runs:/abc/model". Non-empty. */
  source: string;
  runId?: string | null;
  tags?: Readonly<Record<string, string>>;
  /** Evaluation results on the holdout; finite numbers. */
  metrics?: Readonly<Record<string, number>>;
}

export type ModelRef = { name: string; version: number } | { name: string; alias: string } | { name: string; latest: true };

const URI_PREFIX = 'models:/';

const INVALID: ErrorCode = 'INVALID_PARAMETER_VALUE';
const MISSING: ErrorCode = 'RESOURCE_DOES_NOT_EXIST';

function checkModelName(name: string): void {
  if (name === '' || /[/@]/.test(name)) throw new RegistryError(INVALID, `invalid model name '${name}'`);
}

function checkAlias(alias: string): void {
  if (!/^[A-Za-z0-9_-]+$/.test(alias)) throw new RegistryError(INVALID, `invalid alias name '${alias}'`);
  if (alias.toLowerCase() === 'latest') throw new RegistryError(INVALID, `'${alias}' is reserved`);
  if (/^[vV]\d+$/.test(alias)) throw new RegistryError(INVALID, `alias '${alias}' looks like a version reference`);
}

function checkTag(key: string, value: string): void {
  if (key === '') throw new RegistryError(INVALID, 'a tag key must be a non-empty string');
  if (typeof value !== 'string') throw new RegistryError(INVALID, `tag '${key}' must have a string value`);
}

function checkTags(tags: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(tags)) checkTag(key, value);
}

function checkThreshold(value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new RegistryError(INVALID, `a minImprovement or tolerance must be a finite number ≥ 0, got ${value}`);
}

function checkMetricRule(metric: string, direction: MetricDirection): void {
  if (metric === '') throw new RegistryError(INVALID, 'a metric name must be a non-empty string');
  if (direction !== 'higher' && direction !== 'lower') throw new RegistryError(INVALID, `direction must be 'higher' or 'lower', got ${direction}`);
}

function checkPolicy(policy: PromotionPolicy): void {
  if (policy.objectives.length === 0) throw new RegistryError(INVALID, 'a promotion policy needs at least one objective');
  for (const objective of policy.objectives) {
    checkMetricRule(objective.metric, objective.direction);
    checkThreshold(objective.minImprovement);
  }
  for (const guard of policy.guards ?? []) {
    checkMetricRule(guard.metric, guard.direction);
    checkThreshold(guard.tolerance);
  }
  checkTags(policy.requiredTags ?? {});
}

/** Task 4: parse `models:/<name>/<version>`, `models:/<name>/latest` or `models:/<name>@<alias>`. */
export function parseModelUri(uri: string): ModelRef {
  if (!uri.startsWith(URI_PREFIX)) throw new RegistryError(INVALID, `not a models:/ URI: '${uri}'`);
  const rest = uri.slice(URI_PREFIX.length);
  const at = rest.indexOf('@');
  if (at !== -1) {
    const name = rest.slice(0, at);
    const alias = rest.slice(at + 1);
    checkModelName(name);
    checkAlias(alias);
    return { name, alias };
  }
  const parts = rest.split('/');
  if (parts.length !== 2) throw new RegistryError(INVALID, `expected models:/<name>/<version> or models:/<name>@<alias>, got '${uri}'`);
  const [name, suffix] = parts;
  checkModelName(name);
  if (/^\d+$/.test(suffix)) return { name, version: Number(suffix) };
  if (suffix === 'latest') return { name, latest: true };
  throw new RegistryError(INVALID, `'${suffix}' is neither a version number nor latest (stages are not supported)`);
}

function liveVersion(rows: readonly StoredVersion[], name: string, version: number): StoredVersion {
  const row = rows.find((candidate) => candidate.version === version && !candidate.deleted);
  if (row === undefined) throw new RegistryError(MISSING, `model '${name}' has no version ${version}`);
  return row;
}

function aliasesOf(model: StoredModel, version: number): string[] {
  return Object.keys(model.aliases)
    .filter((alias) => model.aliases[alias] === version)
    .sort();
}

function toModelVersion(row: StoredVersion, model: StoredModel): ModelVersion {
  return {
    name: row.name,
    version: row.version,
    source: row.source,
    runId: row.runId,
    tags: row.tags,
    metrics: row.metrics,
    aliases: aliasesOf(model, row.version),
    createdAt: row.createdAt,
  };
}

function toRegisteredModel(model: StoredModel): RegisteredModel {
  return { name: model.name, description: model.description, tags: model.tags, aliases: model.aliases, createdAt: model.createdAt };
}

/**
 * Compares one metric: pushes the missing-metric reasons and returns the gain (positive = challenger better).
 * The gain is NaN when either side is missing or there is no champion; every comparison with NaN is false, so
 * such a metric adds no further reason.
 */
function gain(metric: string, direction: MetricDirection, challenger: StoredVersion, champion: StoredVersion | undefined, reasons: RefusalReason[]): number {
  const mine = challenger.metrics[metric] ?? NaN;
  if (Number.isNaN(mine)) reasons.push({ code: 'missing-metric', metric, version: challenger.version });
  const theirs = champion?.metrics[metric] ?? NaN;
  if (champion !== undefined && Number.isNaN(theirs)) reasons.push({ code: 'missing-metric', metric, version: champion.version });
  return direction === 'higher' ? mine - theirs : theirs - mine;
}

export class ModelRegistry {
  private readonly storage: RegistryStorage;
  private readonly clock: () => number;
  /** Per model: the promise the next mutation of that model waits for. */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(options: RegistryOptions) {
    this.storage = options.storage;
    this.clock = options.clock;
  }

  /** Runs `work` after every earlier mutation of the same model has settled, whether it succeeded or not. */
  private exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    const run = previous.then(work);
    this.tails.set(
      name,
      run.catch(() => undefined),
    );
    return run;
  }

  private async model(name: string): Promise<StoredModel> {
    const model = await this.storage.getModel(name);
    if (model === undefined) throw new RegistryError(MISSING, `registered model '${name}' does not exist`);
    return model;
  }

  /** Task 1. RESOURCE_ALREADY_EXISTS when the name is taken. */
  async createModel(name: string, options: { description?: string; tags?: Readonly<Record<string, string>> } = {}): Promise<RegisteredModel> {
    checkModelName(name);
    checkTags(options.tags ?? {});
    return this.exclusive(name, async () => {
      if ((await this.storage.getModel(name)) !== undefined) throw new RegistryError('RESOURCE_ALREADY_EXISTS', `registered model '${name}' already exists`);
      const model: StoredModel = { name, description: options.description ?? '', tags: { ...options.tags }, aliases: {}, createdAt: this.clock() };
      await this.storage.putModel(model);
      return toRegisteredModel(model);
    });
  }

  async getModel(name: string): Promise<RegisteredModel> {
    return toRegisteredModel(await this.model(name));
  }

  /** Tasks 1 and 2: the next version is max(every version ever registered, deleted ones too) + 1, from 1. */
  async registerVersion(name: string, spec: VersionSpec): Promise<ModelVersion> {
    if (!spec.source) throw new RegistryError(INVALID, 'a version needs a non-empty source');
    checkTags(spec.tags ?? {});
    for (const [metric, value] of Object.entries(spec.metrics ?? {})) {
      if (!Number.isFinite(value)) throw new RegistryError(INVALID, `metric '${metric}' must be a finite number, got ${value}`);
    }
    return this.exclusive(name, async () => {
      const model = await this.model(name);
      const rows = await this.storage.getVersions(name);
      const version = rows.reduce((highest, row) => Math.max(highest, row.version), 0) + 1;
      const row: StoredVersion = {
        name,
        version,
        source: spec.source,
        runId: spec.runId ?? null,
        tags: { ...spec.tags },
        metrics: { ...spec.metrics },
        createdAt: this.clock(),
        deleted: false,
      };
      await this.storage.putVersion(row);
      return toModelVersion(row, model);
    });
  }

  async getVersion(name: string, version: number): Promise<ModelVersion> {
    const model = await this.model(name);
    return toModelVersion(liveVersion(await this.storage.getVersions(name), name, version), model);
  }

  /** The versions that are not deleted, ascending. */
  async listVersions(name: string): Promise<ModelVersion[]> {
    const model = await this.model(name);
    const rows = await this.storage.getVersions(name);
    return rows
      .filter((row) => !row.deleted)
      .sort((a, b) => a.version - b.version)
      .map((row) => toModelVersion(row, model));
  }

  /** Task 1: a soft delete. Every alias pointing at the version goes with it, as in MLflow. */
  async deleteVersion(name: string, version: number): Promise<void> {
    return this.exclusive(name, async () => {
      const model = await this.model(name);
      const row = liveVersion(await this.storage.getVersions(name), name, version);
      for (const alias of aliasesOf(model, version)) delete model.aliases[alias];
      await this.storage.putModel(model);
      await this.storage.putVersion({ ...row, deleted: true });
    });
  }

  /** Task 3: an upsert; setting an alias another version holds moves it. */
  async setAlias(name: string, alias: string, version: number): Promise<void> {
    checkAlias(alias);
    return this.exclusive(name, async () => {
      const model = await this.model(name);
      liveVersion(await this.storage.getVersions(name), name, version);
      model.aliases[alias] = version;
      await this.storage.putModel(model);
    });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    return this.exclusive(name, async () => {
      const model = await this.model(name);
      if (model.aliases[alias] === undefined) throw new RegistryError(MISSING, `model '${name}' has no alias '${alias}'`);
      delete model.aliases[alias];
      await this.storage.putModel(model);
    });
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const model = await this.model(name);
    return toModelVersion(liveVersion(await this.storage.getVersions(name), name, model.aliases[alias]), model);
  }

  async setModelTag(name: string, key: string, value: string): Promise<void> {
    checkTag(key, value);
    return this.exclusive(name, async () => {
      const model = await this.model(name);
      model.tags[key] = value;
      await this.storage.putModel(model);
    });
  }

  async deleteModelTag(name: string, key: string): Promise<void> {
    return this.exclusive(name, async () => {
      const model = await this.model(name);
      delete model.tags[key];
      await this.storage.putModel(model);
    });
  }

  async setVersionTag(name: string, version: number, key: string, value: string): Promise<void> {
    checkTag(key, value);
    return this.exclusive(name, async () => {
      await this.model(name);
      const row = liveVersion(await this.storage.getVersions(name), name, version);
      row.tags[key] = value;
      await this.storage.putVersion(row);
    });
  }

  async deleteVersionTag(name: string, version: number, key: string): Promise<void> {
    return this.exclusive(name, async () => {
      await this.model(name);
      const row = liveVersion(await this.storage.getVersions(name), name, version);
      delete row.tags[key];
      await this.storage.putVersion(row);
    });
  }

  /** Task 4: the version a models:/ URI points at now. */
  async resolve(uri: string): Promise<ModelVersion> {
    const ref = parseModelUri(uri);
    if ('alias' in ref) return this.getVersionByAlias(ref.name, ref.alias);
    if ('version' in ref) return this.getVersion(ref.name, ref.version);
    const live = await this.listVersions(ref.name);
    if (live.length === 0) throw new RegistryError(MISSING, `model '${ref.name}' has no versions`);
    return live[live.length - 1];
  }

  /** Task 5: the champion/challenger gate. Moves `champion` only when every check passes; audits every decision. */
  async promote(name: string, policy: PromotionPolicy, challenger?: number): Promise<PromotionDecision> {
    checkPolicy(policy);
    return this.exclusive(name, async () => {
      const model = await this.model(name);
      const version = challenger ?? model.aliases.challenger;
      const rows = await this.storage.getVersions(name);
      const candidate = liveVersion(rows, name, version);
      const championVersion = model.aliases.champion ?? null;
      const champion = rows.find((row) => row.version === championVersion);
      const reasons: RefusalReason[] = [];
      if (championVersion === version) {
        reasons.push({ code: 'already-champion' });
      } else {
        for (const [key, expected] of Object.entries(policy.requiredTags ?? {})) {
          const actual = candidate.tags[key] ?? null;
          if (actual !== expected) reasons.push({ code: 'tag-mismatch', key, expected, actual });
        }
        for (const objective of policy.objectives) {
          const improvement = gain(objective.metric, objective.direction, candidate, champion, reasons);
          if (improvement < objective.minImprovement) {
            reasons.push({ code: 'not-better', metric: objective.metric, improvement, required: objective.minImprovement });
          }
        }
        for (const guard of policy.guards ?? []) {
          const improvement = gain(guard.metric, guard.direction, candidate, champion, reasons);
          if (-improvement > guard.tolerance) {
            reasons.push({ code: 'guard-regressed', metric: guard.metric, regression: -improvement, tolerance: guard.tolerance });
          }
        }
      }
      const decision: PromotionDecision = { model: name, challenger: version, champion: championVersion, promoted: reasons.length === 0, reasons, at: this.clock() };
      if (decision.promoted) {
        model.aliases.champion = version;
        await this.storage.putModel(model);
      }
      await this.storage.appendAudit(decision);
      return decision;
    });
  }

  /** Task 5: the model's decisions, oldest first. */
  async auditTrail(name: string): Promise<PromotionDecision[]> {
    await this.model(name);
    return this.storage.getAudit(name);
  }
}
