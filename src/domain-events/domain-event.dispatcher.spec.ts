import { Logger } from '@nestjs/common';
import { eventually } from '../../test/support/eventually';
import { startTestServices, TestServices, writeSql } from '../../test/support/test-app';
import { MAX_ATTEMPTS } from '../common/retry-policy';
import type { DomainEventOf } from './domain-event';
import { DomainEvents } from './domain-events.service';

type SettingsChanged = DomainEventOf<'settings.changed'>;

interface StoredEvent {
  id: number;
  attempts: number;
  last_error: string | null;
  gave_up_at: unknown;
}

describe('DomainEventDispatcher (real database)', () => {
  let services: TestServices;
  let events: DomainEvents;
  /** What the durable subscriber of these tests does with each batch it is handed. */
  let subscriber: (batch: SettingsChanged[]) => Promise<void>;
  const handed: SettingsChanged[] = [];

  beforeAll(async () => {
    services = await startTestServices();
    events = services.app.get(DomainEvents);
    events.subscribeDurably(['settings.changed'], (_manager, batch) => subscriber(batch));
  });
  afterAll(() => services.close());
  beforeEach(async () => {
    handed.length = 0;
    subscriber = (batch) => Promise.resolve(void handed.push(...batch));
    await writeSql(services, 'DELETE FROM domain_events');
  });

  const record = () =>
    services.write((manager) => events.record(manager, { type: 'settings.changed' }));
  const stored = () =>
    services.sql<StoredEvent[]>(
      'SELECT id, attempts, last_error, gave_up_at FROM domain_events ORDER BY id',
    );

  it('hands a recorded event to its durable subscriber once, then forgets it', async () => {
    await record();
    await eventually(() => handed.length, 'the hand-over');
    await eventually(async () => (await stored()).length === 0, 'the event row to go');
    expect(handed).toEqual([{ type: 'settings.changed' }]);
  });

  it('keeps an event its subscriber failed on, with the attempt counted and the error, for a later try', async () => {
    subscriber = () => Promise.reject(new Error('the webhook endpoint\nis down'));
    await record();
    const [event] = await eventually(
      async () => (await stored()).filter((row) => row.attempts > 0),
      'a failed attempt',
    );
    expect(event).toMatchObject({
      attempts: 1,
      last_error: 'the webhook endpoint is down',
      gave_up_at: null,
    });
  });

  it('gives an event up after the last attempt the retry policy allows: kept, logged once as an error, never tried again', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      subscriber = () => Promise.reject(new Error('still failing'));
      await record();
      await eventually(async () => (await stored())[0]?.attempts === 1, 'the first failure');
      // As if it had failed all but once already, and its next try were due now.
      await writeSql(
        services,
        'UPDATE domain_events SET attempts = ?, next_attempt_at = created_at',
        [MAX_ATTEMPTS - 1],
      );
      const [event] = await eventually(
        async () => (await stored()).filter((row) => row.gave_up_at),
        'the event to be given up',
      );
      expect(event).toMatchObject({ attempts: MAX_ATTEMPTS, last_error: 'still failing' });

      // The next event is tried (and fails) on its own: the one given up is not tried again.
      await record();
      await eventually(
        async () => (await stored()).find((row) => row.id !== event.id)?.attempts === 1,
        'the next event to be tried',
      );
      expect((await stored()).find((row) => row.id === event.id)).toMatchObject({
        attempts: MAX_ATTEMPTS,
      });
      const aboutIt = errors.mock.calls.filter(([message]) =>
        String(message).includes(`domain event ${event.id} `),
      );
      expect(aboutIt).toEqual([
        [expect.stringContaining(`given up after attempt ${MAX_ATTEMPTS}`)],
      ]);
    } finally {
      errors.mockRestore();
    }
  });
});
