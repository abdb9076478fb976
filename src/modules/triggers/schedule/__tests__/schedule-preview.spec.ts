import { AppException } from '../../../../core/errors/app-exception';
import { repeatOptionsFor } from '../repeat-options';
import { humanInterval, previewSchedule } from '../schedule-preview';

/** A fixed "now", so daylight-saving changes are where the assertions say. */
const NOW = new Date('2027-03-26T12:00:00Z'); // the Friday before Europe/Paris moves to summer time

describe('previewSchedule', () => {
  it('follows the zone across a daylight-saving change (cron in Europe/Paris)', () => {
    const p = previewSchedule({ cron: '0 9 * * *', timezone: 'Europe/Paris', count: 4 }, NOW);
    expect(p).toEqual({
      timezone: 'Europe/Paris',
      description: 'Cron "0 9 * * *" in Europe/Paris',
      // 09:00 CET (08:00 UTC) until Saturday, 09:00 CEST (07:00 UTC) from Sunday 28 March.
      fireTimes: ['2027-03-27T08:00:00.000Z', '2027-03-28T07:00:00.000Z', '2027-03-29T07:00:00.000Z', '2027-03-30T07:00:00.000Z'],
    });
  });

  it('fires a wall-clock time that does not exist on the change day (02:30) an hour later, as cron-parser (BullMQ) does', () => {
    const p = previewSchedule({ cron: '30 2 * * *', timezone: 'Europe/Paris', count: 4 }, NOW);
    // 02:30 CET, then 03:30 CEST on the 28th (02:30 is skipped by the clocks), then 02:30 CEST.
    expect(p.fireTimes).toEqual([
      '2027-03-27T01:30:00.000Z',
      '2027-03-28T01:30:00.000Z',
      '2027-03-29T00:30:00.000Z',
      '2027-03-30T00:30:00.000Z',
    ]);
  });

  it('defaults to UTC and 5 times', () => {
    const p = previewSchedule({ cron: '*/15 * * * *' }, NOW);
    expect(p.timezone).toBe('UTC');
    expect(p.fireTimes).toEqual([
      '2027-03-26T12:15:00.000Z',
      '2027-03-26T12:30:00.000Z',
      '2027-03-26T12:45:00.000Z',
      '2027-03-26T13:00:00.000Z',
      '2027-03-26T13:15:00.000Z',
    ]);
  });

  it('gives interval times from now, or on the workflow’s offset grid with its id', () => {
    expect(previewSchedule({ intervalSeconds: 60, count: 2 }, NOW)).toEqual({
      timezone: 'UTC',
      description: 'Every 1 minute',
      fireTimes: ['2027-03-26T12:01:00.000Z', '2027-03-26T12:02:00.000Z'],
    });
    const workflowId = '7f1c2a9e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
    const offset = repeatOptionsFor({ type: 'schedule', intervalSeconds: 600 }, workflowId).offset as number;
    const times = previewSchedule({ intervalSeconds: 600, workflowId, count: 3 }, NOW).fireTimes.map(Date.parse);
    for (const ms of times) expect((ms - offset) % 600_000).toBe(0);
    expect(times[0]).toBeGreaterThan(NOW.getTime());
    expect(times[0] - NOW.getTime()).toBeLessThanOrEqual(600_000);
    expect(times[1] - times[0]).toBe(600_000);
  });

  it.each([
    [{ cron: 'nope' }, 'cron'],
    [{ cron: '0 9 * * *', timezone: 'Nowhere/Atlantis' }, 'timezone'],
    [{ intervalSeconds: 600, timezone: 'UTC' }, 'timezone'],
    [{ intervalSeconds: 600, cron: '0 9 * * *' }, 'intervalSeconds'],
    [{}, 'cron'],
  ])('refuses %j naming %s', (input, field) => {
    let caught: unknown;
    try {
      previewSchedule(input, NOW);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AppException);
    expect((caught as AppException).details?.map((d) => d.field)).toEqual([field]);
  });
});

describe('humanInterval', () => {
  it.each([
    [10, '10 seconds'],
    [600, '10 minutes'],
    [5400, '1 hour 30 minutes'],
    [86_400 * 2, '2 days'],
  ])('%i s is "%s"', (s, text) => expect(humanInterval(s)).toBe(text));
});
