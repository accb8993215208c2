// Shared build settings (tsup.shared.ts at the repository root): tsup builds the CommonJS file;
// `tsc -p tsconfig.build.json` builds the ES modules file by file.
export { commonJsOnly as default } from '../../tsup.shared.js';
