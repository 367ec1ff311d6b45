import { describe, expect, it } from 'vitest';
import { Disposable, disposeAll, toDisposable, type DisposableLike } from '../../../src/extension/lifecycle';

class Owner extends Disposable {
  own<T extends DisposableLike>(d: T): T {
    return this.register(d);
  }
  get gone(): boolean {
    return this.isDisposed;
  }
}

function tracked(order: string[], name: string, fail = false): DisposableLike {
  return toDisposable(() => {
    order.push(name);
    if (fail) throw new Error(`${name} failed`);
  });
}

describe('Disposable', () => {
  it('disposes what it registered, newest first, and only once', () => {
    const order: string[] = [];
    const owner = new Owner();
    const a = tracked(order, 'a');
    expect(owner.own(a)).toBe(a);
    owner.own(tracked(order, 'b'));
    owner.dispose();
    owner.dispose();
    expect(order).toEqual(['b', 'a']);
    expect(owner.gone).toBe(true);
  });

  it('disposes a registration made after dispose at once', () => {
    const order: string[] = [];
    const owner = new Owner();
    owner.dispose();
    owner.own(tracked(order, 'late'));
    expect(order).toEqual(['late']);
  });

  it('keeps disposing past a throwing dispose and logs each failure', () => {
    const order: string[] = [];
    const logged: string[] = [];
    const owner = new (class extends Owner {})({ error: (m) => logged.push(m) });
    owner.own(tracked(order, 'a'));
    owner.own(tracked(order, 'b', true));
    owner.own(tracked(order, 'c', true));
    expect(() => owner.dispose()).not.toThrow();
    expect(order).toEqual(['c', 'b', 'a']);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toContain('c failed');
  });

  it('without a log, disposes everything and then throws the failures together', () => {
    const order: string[] = [];
    const owner = new Owner();
    owner.own(tracked(order, 'a'));
    owner.own(tracked(order, 'b', true));
    expect(() => owner.dispose()).toThrow(AggregateError);
    expect(order).toEqual(['b', 'a']);
  });

  it('logs a dispose whose promise rejects', async () => {
    const logged: string[] = [];
    const errors = disposeAll([{ dispose: () => Promise.reject(new Error('async failure')) }], { error: (m) => logged.push(m) });
    expect(errors).toEqual([]);
    await new Promise((r) => setTimeout(r, 0));
    expect(logged[0]).toContain('async failure');
  });
});
