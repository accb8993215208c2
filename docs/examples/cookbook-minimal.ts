// Cookbook: the smallest valid policy, every request at Metadata level.
import { policy } from '@k8s-gen/audit';

const minimal = policy()
  .comment('Record every request at the Metadata level.')
  .rule()
  .level('Metadata')
  .end();

process.stdout.write(minimal.toYaml());
