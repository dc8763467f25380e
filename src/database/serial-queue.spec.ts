import { SerialQueue } from './serial-queue';

/** A promise with its resolve/reject exposed, to finish tasks in an order the test chooses. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SerialQueue', () => {
  it('runs tasks in the order they were queued', async () => {
    const queue = new SerialQueue();
    const started: number[] = [];
    const delays = [30, 0, 20, 5, 10];
    await Promise.all(
      delays.map((delay, index) =>
        queue.run(async () => {
          started.push(index);
          await new Promise((resolve) => setTimeout(resolve, delay));
        }),
      ),
    );
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('does not start a task before the previous one has finished', async () => {
    const queue = new SerialQueue();
    const first = deferred();
    let secondStarted = false;
    const one = queue.run(() => first.promise);
    const two = queue.run(() => {
      secondStarted = true;
      return Promise.resolve();
    });
    await tick();
    await tick();
    expect(secondStarted).toBe(false);
    first.resolve();
    await Promise.all([one, two]);
    expect(secondStarted).toBe(true);
  });

  it('never runs two tasks at the same time, however many are queued at once', async () => {
    const queue = new SerialQueue();
    let running = 0;
    let mostAtOnce = 0;
    await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        queue.run(async () => {
          running++;
          mostAtOnce = Math.max(mostAtOnce, running);
          if (index % 3 === 0) await tick();
          await Promise.resolve();
          running--;
        }),
      ),
    );
    expect(mostAtOnce).toBe(1);
  });

  it("gives each caller its own task's result", async () => {
    const queue = new SerialQueue();
    const results = await Promise.all(
      [1, 2, 3].map((n) => queue.run(() => Promise.resolve(n * 10))),
    );
    expect(results).toEqual([10, 20, 30]);
  });

  it("rejects only the failing task's caller and keeps running the tasks queued after it", async () => {
    const queue = new SerialQueue();
    const ran: string[] = [];
    const failing = queue.run(() => {
      ran.push('failing');
      return Promise.reject(new Error('boom'));
    });
    const after = queue.run(() => {
      ran.push('after');
      return Promise.resolve('ok');
    });
    await expect(failing).rejects.toThrow('boom');
    await expect(after).resolves.toBe('ok');
    expect(ran).toEqual(['failing', 'after']);
  });

  it('keeps running tasks queued after one that throws synchronously', async () => {
    const queue = new SerialQueue();
    const failing = queue.run(() => {
      throw new Error('sync boom');
    });
    await expect(failing).rejects.toThrow('sync boom');
    await expect(queue.run(() => Promise.resolve('still alive'))).resolves.toBe('still alive');
  });

  it('accepts new tasks after the queue has drained following a failure', async () => {
    const queue = new SerialQueue();
    await expect(queue.run(() => Promise.reject(new Error('first')))).rejects.toThrow('first');
    await tick();
    await expect(queue.run(() => Promise.resolve(42))).resolves.toBe(42);
  });
});
