import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../project-root';
import { HourlySales, SalesChart, salesChart } from './sales-chart';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-11-24T15:20:00Z');
const hoursAgo = (hours: number) =>
  new Date(Math.floor(NOW.getTime() / HOUR) * HOUR - hours * HOUR);
const sale = (hour: Date, tickets: number): HourlySales => ({ hour, tickets });

function chart(sales: HourlySales[], capacity = 100): Extract<SalesChart, { empty: false }> {
  const result = salesChart({ subject: 'Jazz Night', sales, capacity, now: NOW });
  if (result.empty) throw new Error('expected a chart, got the empty state');
  return result;
}

const pointsOf = (line: string) =>
  line.split(' ').map((point) => point.split(',').map(Number) as [number, number]);

describe('salesChart', () => {
  it('is the empty state when nothing was sold', () => {
    expect(salesChart({ subject: 'Jazz Night', sales: [], capacity: 100, now: NOW })).toEqual({
      empty: true,
    });
    expect(
      salesChart({ subject: 'x', sales: [sale(hoursAgo(1), 0)], capacity: 100, now: NOW }).empty,
    ).toBe(true);
  });

  it('draws one bucket as a line from zero at the left to the total at the top right', () => {
    const result = chart([sale(hoursAgo(0), 5)]);
    expect(pointsOf(result.line)).toEqual([
      [0, result.baseline.y],
      [300, result.top.y],
    ]);
    expect(result.labels.map((label) => label.text)).toEqual(['24 Nov, 15:00 UTC', '5']);
  });

  it('says what was sold of the capacity and when the last sale was', () => {
    expect(chart([sale(hoursAgo(30), 40), sale(hoursAgo(2), 2)]).label).toBe(
      'Tickets sold over time for Jazz Night: 42 of 100, last sale 24 Nov 2026',
    );
  });

  it('draws a cumulative line that never goes down and ends at the total', () => {
    const result = chart([
      sale(hoursAgo(40), 3),
      sale(hoursAgo(20), 1),
      sale(hoursAgo(20), 4),
      sale(hoursAgo(2), 30),
    ]);
    const points = pointsOf(result.line);
    for (let index = 1; index < points.length; index++) {
      expect(points[index][0]).toBeGreaterThan(points[index - 1][0]);
      // SVG's y grows downwards: more tickets, smaller y.
      expect(points[index][1]).toBeLessThanOrEqual(points[index - 1][1]);
    }
    // 38 sold on an axis up to 50.
    const [lastX, lastY] = points.at(-1)!;
    expect(lastX).toBe(300);
    expect(lastY).toBeCloseTo(result.baseline.y - (result.baseline.y - result.top.y) * 0.76, 1);
    expect(result.labels.find((label) => label.x === 0 && label.y < 20)?.text).toBe('50');
  });

  it('keeps every point inside the 300 × 100 box', () => {
    const sales = Array.from({ length: 200 }, (_, index) =>
      sale(hoursAgo(index * 7), (index % 13) + 1),
    );
    const result = chart(sales);
    expect(result.viewBox).toBe('0 0 300 100');
    for (const [x, y] of [...pointsOf(result.line), ...pointsOf(result.area)]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(300);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(100);
    }
  });

  it('buckets by hour while every sale is within two days, and by day beyond', () => {
    expect(chart([sale(hoursAgo(47), 1)]).labels[0].text).toBe('22 Nov, 16:00 UTC');
    expect(chart([sale(hoursAgo(49), 1)]).labels[0].text).toBe('22 Nov 2026');
  });

  it('keeps only the points where the line bends, however long the flat runs', () => {
    const result = chart([sale(new Date(NOW.getTime() - 400 * DAY), 1), sale(hoursAgo(0), 1)]);
    // Zero, the first day's sale, the flat run's end, today's sale.
    expect(pointsOf(result.line)).toHaveLength(4);
  });

  it('handles huge numbers without exponents or overflow', () => {
    const result = chart([sale(hoursAgo(3), 3_000_000_000)], 5_000_000_000);
    expect(result.label).toContain('3,000,000,000 of 5,000,000,000');
    expect(result.line).toMatch(/^[\d.,\s]+$/);
    expect(result.labels.map((label) => label.text)).toContain('5,000,000,000');
  });

  describe('in UTC, whatever the server time zone', () => {
    const serverZone = process.env.TZ;
    beforeAll(() => (process.env.TZ = 'Pacific/Auckland'));
    afterAll(() => (process.env.TZ = serverZone));

    it('puts days at midnight UTC and names them in UTC', () => {
      const lateEvening = new Date('2026-11-20T23:00:00Z');
      const result = chart([sale(lateEvening, 1), sale(new Date('2026-11-21T00:00:00Z'), 1)]);
      // Nov 20, 21, 22, 23, 24: two sales on two different days, then flat until today.
      expect(pointsOf(result.line).map(([x]) => x)).toEqual([0, 60, 120, 300]);
      expect(result.labels.map((label) => label.text)).toEqual(['20 Nov 2026', '2', '24 Nov 2026']);
      expect(result.label).toMatch(/last sale 21 Nov 2026$/);
    });
  });
});

describe('the sales-chart partial', () => {
  const render = Handlebars.compile(
    readFileSync(join(PROJECT_ROOT, 'views/partials/sales-chart.hbs'), 'utf8'),
  );
  const TITLE = '<script>alert(1)</script>"&';

  it('escapes the subject in the accessible label and the title', () => {
    const html = render(
      salesChart({ subject: TITLE, sales: [sale(hoursAgo(1), 2)], capacity: 10, now: NOW }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain(
      'aria-label="Tickets sold over time for &lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;: 2 of 10',
    );
    expect(html).toContain('<title>Tickets sold over time for &lt;script&gt;');
  });

  it('uses no style attribute (the Content-Security-Policy forbids inline styles)', () => {
    const html = render(chart([sale(hoursAgo(1), 2)]));
    expect(html).toContain('role="img"');
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('says "No sales yet" instead of an empty chart', () => {
    const html = render(salesChart({ subject: 'x', sales: [], capacity: 10, now: NOW }));
    expect(html).toContain('No sales yet');
    expect(html).not.toContain('<svg');
  });
});
