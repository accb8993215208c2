// Runs after `npm test` passed: one line saying whether every test ran, or which outside data was
// missing so that the tests needing it were skipped (each skipped test names what it needs too).
import { coreGenerated, hasShared, SHARED_FILES, sharedRoot } from '../test/support/shared-files.ts';

const missingShared = Object.values(SHARED_FILES).filter((file) => !hasShared(file));
const missing = [
  ...(missingShared.length > 0 ? [`${missingShared.length} of ${Object.keys(SHARED_FILES).length} shared files in ${sharedRoot} (${missingShared.join(', ')})`] : []),
  ...(coreGenerated ? [] : ['@k8s-gen/core (not generated: set K8S_GEN_CORE_SPEC to a Kubernetes swagger.json path or URL)']),
];
process.stdout.write(
  missing.length === 0
    ? 'k8s-gen tests: every test ran (shared data and @k8s-gen/core present)\n'
    : `k8s-gen tests: passed; the tests that need these were skipped: ${missing.join('; ')}\n`,
);
