#!/usr/bin/env node
// Runs the generator's TypeScript sources through tsx, so the bin works in a fresh clone before
// anything is built and never runs a stale build.
import { register } from 'tsx/esm/api';

register();
await import('../bin.ts');
