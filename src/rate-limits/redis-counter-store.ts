import type { RedisClientType } from 'redis';
import { CounterStore, WindowCount } from './counter-store';

const PREFIX = 'boxoffice:rate:';

// One round trip, atomic: the first hit of a window sets its expiry.
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

const UNDO = `
if redis.call('GET', KEYS[1]) and tonumber(redis.call('GET', KEYS[1])) > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0`;

export class RedisCounterStore extends CounterStore {
  constructor(private readonly client: RedisClientType) {
    super();
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const [count, ttl] = (await this.client.eval(HIT, {
      keys: [PREFIX + key],
      arguments: [String(windowMs)],
    })) as [number, number];
    return { count, resetInMs: Math.max(ttl, 0) };
  }

  async undo(key: string): Promise<void> {
    await this.client.eval(UNDO, { keys: [PREFIX + key] });
  }

  async clear(key: string): Promise<void> {
    await this.client.del(PREFIX + key);
  }
}
