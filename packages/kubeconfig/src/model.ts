// The one module hand-written code imports the generated kubeconfig code from (src/generated/,
// rebuilt by `npm run generate`), so the rest of the package never reaches into generated paths.
export type {
  AuthInfo,
  AuthProviderConfig,
  Buildable,
  Cluster,
  Config,
  Context,
  ExecConfig,
  ExecEnvVar,
  NamedAuthInfo,
  NamedCluster,
  NamedContext,
  NamedExtension,
  Preferences,
  Problem,
} from './generated/index.js';
export { ConfigBuilder, ConfigSchema, commentOf, formatPath, ProblemCollector, typeMetadata } from './generated/index.js';
