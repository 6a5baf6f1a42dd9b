import { Bar } from 'vue-chartjs';
import { BarController, BarElement, CategoryScale, Chart, LinearScale, LineController, LineElement, PointElement } from 'chart.js';

// Only what a bar chart with one line needs: no legend, tooltip or animation plugins. Its own
// module so that Chart.js (the largest library on the wall) loads beside the page, not before it:
// the booths and figures show while the chart is still on its way.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement);

export default Bar;
