// The form the playground opens with: a short policy with a comment on each rule, and a request
// that one of its rules decides.
import type { PlaygroundRequest } from './analyze.js';

/** The policy the playground starts with. */
export const STARTING_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages:
  - RequestReceived
rules:
  # kube-proxy watches are noise
  - level: None
    users: ["system:kube-proxy"]
    verbs: ["watch"]
    resources:
      - group: ""
        resources: ["endpoints", "services"]
  # secrets and configmaps: who and when, never their content
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets", "configmaps"]
  # changes to deployments, with their bodies
  - level: RequestResponse
    verbs: ["create", "update", "patch", "delete"]
    resources:
      - group: apps
        resources: ["deployments"]
  # everything else
  - level: Metadata
`;

/** The request the playground starts with: alice reading a secret. */
export const STARTING_REQUEST: Readonly<PlaygroundRequest> = {
  kind: 'resource',
  user: 'alice',
  groups: 'system:authenticated, dev',
  authenticationFailed: false,
  verb: 'get',
  apiGroup: '',
  resource: 'secrets',
  namespace: 'default',
  name: 'db-password',
  path: '/healthz',
  stage: 'ResponseComplete',
};
