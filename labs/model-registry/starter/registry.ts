/**
 * model-registry: registered models with versions numbered from 1, aliases, tags, `models:/` URIs and a
 * champion/challenger promotion gate with an audit trail, over an injected asynchronous storage. The README
 * gives every rule; the doc comments repeat the ones you need most. The types, RegistryError and
 * memoryStorage are complete; everything marked TODO is yours. Stages (Staging/Production/Archived) are
 * deprecated in MLflow and have no place here.
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

/**
 * Task 4: parse `models:/<name>/<version>`, `models:/<name>/latest` or `models:/<name>@<alias>`.
 * Anything else throws RegistryError('INVALID_PARAMETER_VALUE'), stage names included.
 */
export function parseModelUri(uri: string): ModelRef {
  // TODO: check the prefix, split off an alias at '@' or a version/latest after the one '/', validate the
  // name and the alias by the README's rules.
  throw new Error(`parseModelUri is not implemented yet (${uri})`);
}

export class ModelRegistry {
  private readonly storage: RegistryStorage;
  private readonly clock: () => number;

  constructor(options: RegistryOptions) {
    this.storage = options.storage;
    this.clock = options.clock;
    // TODO (Task 2): whatever you need to run the mutations of one model one at a time, in call order,
    // without making other models wait. The storage has no locks and no unique keys: it is up to you.
  }

  /** Task 1. RESOURCE_ALREADY_EXISTS when the name is taken; INVALID_PARAMETER_VALUE for a bad name or tag. */
  async createModel(name: string, options: { description?: string; tags?: Readonly<Record<string, string>> } = {}): Promise<RegisteredModel> {
    throw new Error(`createModel is not implemented yet (${name}, ${JSON.stringify(options)})`);
  }

  /** Task 1. RESOURCE_DOES_NOT_EXIST for an unknown model. */
  async getModel(name: string): Promise<RegisteredModel> {
    throw new Error(`getModel is not implemented yet (${name})`);
  }

  /**
   * Tasks 1 and 2: the next version is max(every version row of the model, deleted ones too) + 1, from 1.
   * Concurrent calls get distinct, gap-free numbers in call order; a call that fails takes no number.
   */
  async registerVersion(name: string, spec: VersionSpec): Promise<ModelVersion> {
    // TODO: validate the spec, then (one mutation of this model at a time) read the model and its rows,
    // take max + 1 and write the new row.
    throw new Error(`registerVersion is not implemented yet (${name}, ${spec.source})`);
  }

  /** Task 1. A deleted or unknown version is RESOURCE_DOES_NOT_EXIST. */
  async getVersion(name: string, version: number): Promise<ModelVersion> {
    throw new Error(`getVersion is not implemented yet (${name} v${version})`);
  }

  /** Task 1: the versions that are not deleted, ascending. */
  async listVersions(name: string): Promise<ModelVersion[]> {
    throw new Error(`listVersions is not implemented yet (${name})`);
  }

  /** Task 1: a soft delete (the row stays, deleted: true). Every alias pointing at the version goes with it. */
  async deleteVersion(name: string, version: number): Promise<void> {
    throw new Error(`deleteVersion is not implemented yet (${name} v${version})`);
  }

  /** Task 3: an upsert; setting an alias another version holds moves it. The version must exist. */
  async setAlias(name: string, alias: string, version: number): Promise<void> {
    throw new Error(`setAlias is not implemented yet (${name}@${alias} → v${version})`);
  }

  /** Task 3. RESOURCE_DOES_NOT_EXIST for an alias the model does not have. */
  async deleteAlias(name: string, alias: string): Promise<void> {
    throw new Error(`deleteAlias is not implemented yet (${name}@${alias})`);
  }

  /** Task 3. */
  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    throw new Error(`getVersionByAlias is not implemented yet (${name}@${alias})`);
  }

  /** Task 3: an upsert. */
  async setModelTag(name: string, key: string, value: string): Promise<void> {
    throw new Error(`setModelTag is not implemented yet (${name}: ${key}=${value})`);
  }

  /** Task 3: deleting a tag that is not there is fine. */
  async deleteModelTag(name: string, key: string): Promise<void> {
    throw new Error(`deleteModelTag is not implemented yet (${name}: ${key})`);
  }

  /** Task 3: an upsert on a version that exists. */
  async setVersionTag(name: string, version: number, key: string, value: string): Promise<void> {
    throw new Error(`setVersionTag is not implemented yet (${name} v${version}: ${key}=${value})`);
  }

  /** Task 3. */
  async deleteVersionTag(name: string, version: number, key: string): Promise<void> {
    throw new Error(`deleteVersionTag is not implemented yet (${name} v${version}: ${key})`);
  }

  /** Task 4: the version a models:/ URI points at now. */
  async resolve(uri: string): Promise<ModelVersion> {
    throw new Error(`resolve is not implemented yet (${uri})`);
  }

  /**
   * Task 5: the champion/challenger gate. Judges `challenger` (default: the version the `challenger` alias
   * points at) against the `champion` alias, moves `champion` only when every check passes, and appends one
   * audit entry for every decision, promoted or refused.
   */
  async promote(name: string, policy: PromotionPolicy, challenger?: number): Promise<PromotionDecision> {
    // TODO: validate the policy, then (as one mutation of this model) read the model and its rows, check
    // tags, objectives and guards in the README's order, move the alias if promoted, then audit.
    throw new Error(`promote is not implemented yet (${name}, ${policy.objectives.length} objectives, ${challenger})`);
  }

  /** Task 5: the model's decisions, oldest first. */
  async auditTrail(name: string): Promise<PromotionDecision[]> {
    throw new Error(`auditTrail is not implemented yet (${name})`);
  }
}
