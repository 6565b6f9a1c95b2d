import { createOrderflowApp } from './orderflow-app.js';

createOrderflowApp().app.synth();
