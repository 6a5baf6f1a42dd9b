import { markRaw, onBeforeUnmount, onMounted, type Ref } from 'vue';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
} from 'chart.js';

// Only what the manager charts use: bars, lines, a filled band, legend and tooltips.
Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Filler, Legend, Tooltip);

/**
 * One Chart.js instance on a canvas, created on mount and destroyed on unmount. The instance and
 * its config live outside Vue reactivity (markRaw): `update` mutates the data arrays in place and
 * redraws, so a new range never rebuilds the chart or proxies thousands of points.
 */
export function useChart<T extends ChartType>(canvas: Ref<HTMLCanvasElement | null>, make: () => ChartConfiguration<T>) {
  let chart: Chart<T> | null = null;
  let pending: ((c: Chart<T>) => void) | null = null;

  onMounted(() => {
    if (!canvas.value) return;
    chart = markRaw(new Chart(canvas.value, markRaw(make())));
    if (pending) update(pending);
  });
  onBeforeUnmount(() => {
    chart?.destroy();
    chart = null;
  });

  /** Changes the data in place (replace array contents, not the arrays) and redraws without animation. */
  function update(fn: (c: Chart<T>) => void): void {
    if (!chart) {
      pending = fn;
      return;
    }
    pending = null;
    fn(chart);
    chart.update('none');
  }

  return { update };
}

/** Replaces an array's contents in place. */
export function fill<X>(target: X[], values: readonly X[]): void {
  target.length = 0;
  target.push(...values);
}

export const COLORS = {
  bar: '#1f4fa3',
  payday: '#c46a00',
  line: '#8a5700',
  band: 'rgba(138, 87, 0, 0.16)',
  bad: '#b3261e',
  ok: '#1b7a3a',
  grid: '#e2e5ea',
  muted: '#4f5663',
  series: ['#1f4fa3', '#c46a00', '#1b7a3a', '#7a3fb0', '#b3261e', '#4f5663', '#0f7c8c'],
};

/** Shared options: no animation, responsive, readable ticks on a phone. */
export const baseOptions = {
  animation: false as const,
  responsive: true,
  maintainAspectRatio: false,
  interaction: { mode: 'index' as const, intersect: false },
  plugins: { legend: { labels: { boxWidth: 12, font: { size: 11 } } } },
  scales: {
    x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 8, font: { size: 11 } } },
    y: { beginAtZero: true, grid: { color: COLORS.grid }, ticks: { precision: 0, font: { size: 11 } } },
  },
};
