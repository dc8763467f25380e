/** Tickets sold in the hour that starts at `hour` (UTC). */
export interface HourlySales {
  hour: Date;
  tickets: number;
}

export interface SalesChartInput {
  /** What was sold: an event's title, or "all events". User data: the template escapes it. */
  subject: string;
  /** In any order; several entries for one hour add up (a combined chart passes every event's). */
  sales: readonly HourlySales[];
  capacity: number;
  now: Date;
}

interface AxisLabel {
  x: number;
  y: number;
  text: string;
  anchor: 'start' | 'end';
}

/** What `views/partials/sales-chart.hbs` draws: SVG coordinates and texts, nothing else. */
export type SalesChart =
  | { empty: true }
  | {
      empty: false;
      label: string;
      viewBox: string;
      /** The cumulative line, as SVG `points`. */
      line: string;
      /** The line closed along the baseline, for the shaded area under it. */
      area: string;
      baseline: { x1: number; x2: number; y: number };
      top: { x1: number; x2: number; y: number };
      labels: AxisLabel[];
    };

const WIDTH = 300;
const HEIGHT = 100;
const PLOT = { left: 0, right: WIDTH, top: 14, bottom: HEIGHT - 16 };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Up to this span from the first sale to now, a bucket is an hour; beyond it, a day. */
const HOURLY_SPAN = 2 * DAY;

const wholeNumber = new Intl.NumberFormat('en-GB');
const dayFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const hourFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});
const hourLabel = (date: Date) => `${hourFormat.format(date)} UTC`;

/**
 * Cumulative tickets sold from the first sale's bucket to now's, as a line in a
 * 300 × 100 box: it starts at zero on the left, rises by each bucket's sales and
 * ends at the total on the right. Buckets are UTC hours when the whole span is
 * within two days, UTC days otherwise.
 */
export function salesChart({ subject, sales, capacity, now }: SalesChartInput): SalesChart {
  const sold = sales.filter((entry) => entry.tickets > 0);
  const total = sold.reduce((sum, entry) => sum + entry.tickets, 0);
  if (total === 0) {
    return { empty: true };
  }

  const times = sold.map((entry) => entry.hour.getTime());
  // Not Math.min(...times): a combined chart can pass more hours than a call may have arguments.
  const firstSale = times.reduce((a, b) => Math.min(a, b));
  const lastSale = times.reduce((a, b) => Math.max(a, b));
  const bucketSize = now.getTime() - firstSale <= HOURLY_SPAN ? HOUR : DAY;
  const bucketOf = (time: number) => Math.floor(time / bucketSize);
  const firstBucket = bucketOf(firstSale);
  const buckets = Math.max(bucketOf(now.getTime()), bucketOf(lastSale)) - firstBucket + 1;

  const perBucket = new Map<number, number>();
  for (const entry of sold) {
    const index = bucketOf(entry.hour.getTime()) - firstBucket;
    perBucket.set(index, (perBucket.get(index) ?? 0) + entry.tickets);
  }

  const yMax = roundUpForAxis(total);
  const x = (bucketsDone: number) =>
    round(PLOT.left + (PLOT.right - PLOT.left) * (bucketsDone / buckets));
  const y = (tickets: number) => round(PLOT.bottom - (PLOT.bottom - PLOT.top) * (tickets / yMax));
  const cumulative = [0];
  for (let index = 0; index < buckets; index++) {
    cumulative.push(cumulative[index] + (perBucket.get(index) ?? 0));
  }
  const points = cumulative
    // A point inside a flat run adds nothing to the line: years of daily buckets stay a few points.
    .map((tickets, index) => ({ index, tickets }))
    .filter(
      ({ index, tickets }) =>
        index === 0 ||
        index === buckets ||
        tickets !== cumulative[index - 1] ||
        tickets !== cumulative[index + 1],
    )
    .map(({ index, tickets }) => `${x(index)},${y(tickets)}`);

  const format = bucketSize === HOUR ? hourLabel : (date: Date) => dayFormat.format(date);
  const labelY = HEIGHT - 3;
  const labels: AxisLabel[] = [
    { x: PLOT.left, y: labelY, text: format(new Date(firstBucket * bucketSize)), anchor: 'start' },
    { x: PLOT.left, y: PLOT.top - 4, text: wholeNumber.format(yMax), anchor: 'start' },
  ];
  if (buckets > 1) {
    const lastBucket = new Date((firstBucket + buckets - 1) * bucketSize);
    labels.push({ x: PLOT.right, y: labelY, text: format(lastBucket), anchor: 'end' });
  }

  return {
    empty: false,
    label: `Tickets sold over time for ${subject}: ${wholeNumber.format(total)} of ${wholeNumber.format(capacity)}, last sale ${dayFormat.format(new Date(lastSale))}`,
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    line: points.join(' '),
    area: [...points, `${x(buckets)},${y(0)}`, `${x(0)},${y(0)}`].join(' '),
    baseline: { x1: PLOT.left, x2: PLOT.right, y: y(0) },
    top: { x1: PLOT.left, x2: PLOT.right, y: y(yMax) },
    labels,
  };
}

/** The axis top: the total rounded up to 1, 2 or 5 times a power of ten (42 → 50, 120 → 200). */
function roundUpForAxis(total: number): number {
  const power = 10 ** Math.floor(Math.log10(total));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= total)!;
  return step * power;
}

const round = (value: number) => Math.round(value * 10) / 10;
