import { applyMailLimits, DueMail } from './mail-limits';

const mail = (id: number, recipient: string, eventId: number | null = 1): DueMail => ({
  id,
  recipient,
  eventId,
});
const ids = (mails: DueMail[]) => mails.map((one) => one.id);

describe('applyMailLimits', () => {
  const limits = { perRecipientPerHour: 3, perEventPerMinute: 100 };

  it('sends everything under the caps', () => {
    const verdicts = applyMailLimits(
      [mail(1, 'a@x.org'), mail(2, 'b@x.org')],
      limits,
      new Map(),
      new Map(),
    );
    expect(ids(verdicts.send)).toEqual([1, 2]);
    expect(verdicts.suppress).toEqual([]);
  });

  it('suppresses a recipient’s mails past the cap, counting those already had and the batch’s own, whatever the case of the address', () => {
    const batch = [mail(1, 'victim@x.org'), mail(2, 'VICTIM@x.org'), mail(3, 'victim@X.ORG')];
    const verdicts = applyMailLimits(batch, limits, new Map([['victim@x.org', 1]]), new Map());
    expect(ids(verdicts.send)).toEqual([1, 2]);
    expect(ids(verdicts.suppress)).toEqual([3]);
  });

  it('postpones an event’s mails past its cap a minute, never drops them', () => {
    const batch = [mail(1, 'a@x.org', 7), mail(2, 'b@x.org', 7), mail(3, 'c@x.org', 8)];
    const verdicts = applyMailLimits(
      batch,
      { perRecipientPerHour: 0, perEventPerMinute: 2 },
      new Map(),
      new Map([[7, 1]]),
    );
    expect(ids(verdicts.send)).toEqual([1, 3]);
    expect(ids(verdicts.postpone)).toEqual([2]);
    expect(verdicts.suppress).toEqual([]);
  });

  it('caps nothing when both caps are 0', () => {
    const batch = Array.from({ length: 50 }, (_, i) => mail(i, 'same@x.org'));
    const verdicts = applyMailLimits(
      batch,
      { perRecipientPerHour: 0, perEventPerMinute: 0 },
      new Map([['same@x.org', 1000]]),
      new Map([[1, 1000]]),
    );
    expect(verdicts.send).toHaveLength(50);
  });

  it('suppresses before it postpones: a mail that may never go does not wait in line', () => {
    const verdicts = applyMailLimits(
      [mail(1, 'victim@x.org', 7)],
      { perRecipientPerHour: 1, perEventPerMinute: 1 },
      new Map([['victim@x.org', 1]]),
      new Map([[7, 1]]),
    );
    expect(ids(verdicts.suppress)).toEqual([1]);
  });
});
