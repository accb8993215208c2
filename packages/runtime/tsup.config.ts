// Shared build settings (tsup.shared.ts at the repository root): tsup builds the CommonJS files,
// with the Node-only entry added; `tsc -p tsconfig.build.json` builds the ES modules file by file.
import type { Options } from 'tsup';
import { commonJsOnly } from '../../tsup.shared.js';

const config: Options = { ...commonJsOnly, entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' } };
export default config;
