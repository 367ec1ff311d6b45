/**
 * Node's permission model, by version (LAB_FACTS §7.1): `--experimental-permission` on Node 20 and 22 before
 * 22.13, `--permission` after; `--allow-addons` from 20.12. Whether a denied read really throws is probed once
 * per Node binary (Electron's Node may differ), so a report never claims a protection that was not there.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface NodeRuntime {
  execPath: string;
  /** Extra environment for the child, e.g. ELECTRON_RUN_AS_NODE inside VS Code. */
  env: Record<string, string>;
}

export function currentRuntime(): NodeRuntime {
  return { execPath: process.execPath, env: process.versions['electron'] ? { ELECTRON_RUN_AS_NODE: '1' } : {} };
}

type Version = [number, number, number];

export function parseVersion(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text
    .replace(/^v/, '')
    .split('.')
    .map((n) => Number.parseInt(n, 10));
  return [major, minor, patch];
}

const atLeast = (v: Version, major: number, minor: number) => v[0] > major || (v[0] === major && v[1] >= minor);

/** The flag that turns the permission model on, or undefined where this Node has none. */
export function permissionFlag(version: Version): string | undefined {
  if (atLeast(version, 22, 13)) return '--permission';
  if (atLeast(version, 20, 0)) return '--experimental-permission';
  return undefined;
}

export function supportsAddonsFlag(version: Version): boolean {
  return atLeast(version, 20, 12);
}

export function supportsTestTimeout(version: Version): boolean {
  return atLeast(version, 20, 11);
}

export interface PermissionProbe {
  version: Version;
  versionText: string;
  flag: string | undefined;
  /** True when a read outside the granted folders was seen to throw ERR_ACCESS_DENIED. */
  enforced: boolean;
}

const probes = new Map<string, PermissionProbe>();

export function probePermissions(runtime: NodeRuntime): PermissionProbe {
  const cached = probes.get(runtime.execPath);
  if (cached) return cached;
  const env = { ...process.env, ...runtime.env };
  const versionText = spawnSync(runtime.execPath, ['-p', 'process.version'], { env, encoding: 'utf8' }).stdout.trim();
  const version = parseVersion(versionText);
  const flag = permissionFlag(version);
  let enforced = false;
  if (flag) {
    const dir = mkdtempSync(path.join(tmpdir(), 'mlops-labs-probe-'));
    const script = path.join(dir, 'probe.js');
    const secret = path.join(dir, 'outside', 'secret.txt');
    try {
      writeFileSync(script, `try { require('fs').readFileSync(${JSON.stringify(secret)}); console.log('read'); } catch (e) { console.log(e.code); }`);
      mkdirSync(path.dirname(secret));
      writeFileSync(secret, 'x');
      const result = spawnSync(runtime.execPath, [flag, `--allow-fs-read=${script}`, script], { env, encoding: 'utf8' });
      enforced = result.stdout.trim() === 'ERR_ACCESS_DENIED';
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const probe = { version, versionText, flag, enforced };
  probes.set(runtime.execPath, probe);
  return probe;
}
