// The builder chains the type test (builder-types.test-d.ts) and the run-time test
// (builder-chains.test.ts) both check, written once.
import { policy } from '../src/index.js';

/** The design example of ARCHITECTURE.md, ending inside a rule. */
export const designExample = () => policy().omitStages('RequestReceived').rule().level('Metadata');

/** A rule chain that comes back to the policy builder. */
export const backToPolicy = () => policy().rule().level('None').rule().level('Metadata').end();

/** Rules added by function, by object and by chain, ending on a plain object. */
export const mixedRules = () =>
  policy()
    .rule((r) => r.level('None').users('system:kube-proxy'))
    .rule({ level: 'Request' })
    .rule()
    .level('Metadata')
    .rule({ level: 'None' });
