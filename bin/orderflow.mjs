#!/usr/bin/env node
// The `orderflow` command. Runs the TypeScript sources directly through tsx, so there is no
// build step to forget and no stale output to debug.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
