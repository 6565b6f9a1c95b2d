// One Graphviz layout on a worker thread: the DOT text in, the SVG out. Plain JavaScript, so
// it loads the same from source, in tests and in a build, with no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { instance } from '@viz-js/viz';

const viz = await instance();
parentPort?.postMessage(viz.renderString(workerData, { format: 'svg' }));
