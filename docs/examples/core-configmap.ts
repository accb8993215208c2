// core/v1 builders: ship the audit policy to the cluster in a ConfigMap.
import { minimalMetadataPolicy } from '@k8s-gen/audit';
import { ConfigMapSchema, configMap } from '@k8s-gen/core';
import { stringify } from 'yaml';

const policyConfigMap = configMap()
  .metadata({ name: 'audit-policy', namespace: 'kube-system', labels: { 'app.kubernetes.io/part-of': 'audit' } })
  .data({ 'audit-policy.yaml': minimalMetadataPolicy().toYaml() })
  .immutable(true)
  .build();

// The generated zod schema checks the object the same way the types do, for data read at run time.
ConfigMapSchema.parse(policyConfigMap);

process.stdout.write(stringify(policyConfigMap));
