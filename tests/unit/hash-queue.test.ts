import { describe, expect, it } from 'vitest';
import { HashQueue } from '../../server/auth/hash-queue';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('HashQueue', () => {
  it('runs at most `concurrency` tasks, lets `maxWaiting` wait, and says full beyond that', async () => {
    const queue = new HashQueue(2, 1);
    const gates = [deferred(), deferred(), deferred()];
    let running = 0;
    let most = 0;
    const task = (i: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      await gates[i]!.promise;
      running -= 1;
      return i;
    };
    expect(queue.full).toBe(false);
    const runs = [queue.run(task(0)), queue.run(task(1))];
    expect(queue.full).toBe(false);
    runs.push(queue.run(task(2)));
    expect(queue.full).toBe(true);
    gates[0]!.resolve();
    await runs[0];
    expect(queue.full).toBe(false);
    gates[1]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(most).toBe(2);
  });

  it('frees the slot of a task that fails', async () => {
    const queue = new HashQueue(1, 0);
    await expect(queue.run(async () => Promise.reject(new Error('scrypt failed')))).rejects.toThrow('scrypt failed');
    expect(queue.full).toBe(false);
    expect(await queue.run(async () => 'next')).toBe('next');
  });

  it('bounds the attempts reading before their turn, and lets each of them join the line', async () => {
    const queue = new HashQueue(1, 0, 2);
    // Given two attempts still reading the database, when a third comes, then it is refused.
    const first = queue.reserve()!;
    const second = queue.reserve()!;
    expect(queue.reserve()).toBeNull();
    // Given one of them refused by the lock, when it gives its place back (twice, harmlessly), then the next one is let in.
    second.release();
    second.release();
    const third = queue.reserve()!;
    expect(third).not.toBeNull();
    // Given a hash running, the line is full for a new attempt, yet a reading one still gets its turn after it.
    const gate = deferred();
    const running = first.run(async () => gate.promise);
    first.release();
    expect(queue.full).toBe(true);
    expect(queue.reserve()).toBeNull();
    const late = third.run(async () => 'third');
    gate.resolve();
    await running;
    expect(await late).toBe('third');
    expect(queue.full).toBe(false);
    expect(queue.reserve()).not.toBeNull();
  });
});
