// Shared build settings (tsup.shared.ts at the repository root), with a second entry: the policy
// semantics alone (`@k8s-gen/engine/policy`), which imports no Node built-in, for browsers.
import type { Options } from 'tsup';
import { commonJsOnly } from '../../tsup.shared.js';

// shims: the CommonJS build gets an import.meta.url (cost-duckdb.ts resolves DuckDB from it).
const config: Options = { ...commonJsOnly, format: ['esm', 'cjs'], shims: true, entry: { index: 'src/index.ts', policy: 'src/policy.ts' } };
export default config;
