#!/usr/bin/env node
// Runs before `npm start` and `npm test`: refuses an unsupported Node.js with one line.
import { unsupportedNodeMessage } from './node-version.js';

const message = unsupportedNodeMessage(process.version);
if (message) {
  console.error(message);
  process.exit(1);
}
