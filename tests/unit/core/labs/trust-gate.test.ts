import { describe, expect, it, vi } from 'vitest';
import { TrustGate } from '../../../../src/core/labs/trust-gate';

function fakeTrust(trusted: boolean) {
  const listeners = new Set<() => void>();
  return {
    trusted,
    isTrusted() {
      return this.trusted;
    },
    onDidGrant(listener: () => void) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    grant() {
      this.trusted = true;
      for (const l of listeners) l();
    },
  };
}

describe('the trust gate', () => {
  it('runs at once in a trusted folder', async () => {
    const gate = new TrustGate(fakeTrust(true));
    const held = vi.fn();
    await expect(gate.run(async () => 'graded', held)).resolves.toBe('graded');
    expect(held).not.toHaveBeenCalled();
  });

  it('holds code in an untrusted folder, says so, and runs it only when trust is granted', async () => {
    const trust = fakeTrust(false);
    const gate = new TrustGate(trust);
    const action = vi.fn(async () => 'graded');
    const held = vi.fn();
    const result = gate.run(action, held);
    await Promise.resolve();
    expect(held).toHaveBeenCalledOnce();
    expect(action).not.toHaveBeenCalled();
    expect(gate.pending).toBe(1);
    trust.grant();
    await expect(result).resolves.toBe('graded');
    expect(action).toHaveBeenCalledOnce();
    expect(gate.pending).toBe(0);
  });

  it('drops what it held when disposed', () => {
    const gate = new TrustGate(fakeTrust(false));
    void gate.run(async () => 1, () => undefined);
    gate.dispose();
    expect(gate.pending).toBe(0);
  });
});
