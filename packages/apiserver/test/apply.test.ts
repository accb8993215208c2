import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEPLOYMENT_TARGET, kindClusterConfigYaml, kubeadmApiVersionFor, kubeadmClusterConfiguration, kubeadmClusterConfigurationYaml, podJsonPatch, STATIC_POD_TARGET, type HostMount } from '../src/index.js';

const flags = [
  { name: 'audit-policy-file', value: '/etc/kubernetes/audit-policy.yaml' },
  { name: 'audit-log-path', value: '-' },
];
const mounts: HostMount[] = [{ name: 'audit-policy', hostPath: '/etc/kubernetes/audit-policy.yaml', mountPath: '/etc/kubernetes/audit-policy.yaml', type: 'File', readOnly: true }];

describe('kubeadm', () => {
  it('follows the config versions each kubeadm release reads', () => {
    expect([13, 14, 15, 21, 22, 30, 31, 36].map(kubeadmApiVersionFor)).toEqual([
      'kubeadm.k8s.io/v1beta1', 'kubeadm.k8s.io/v1beta1', 'kubeadm.k8s.io/v1beta2', 'kubeadm.k8s.io/v1beta2',
      'kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta3', 'kubeadm.k8s.io/v1beta4', 'kubeadm.k8s.io/v1beta4',
    ]);
  });

  it('writes extraArgs as a map before v1beta4 and as a list from v1beta4, keeping flag order', () => {
    expect(kubeadmClusterConfiguration(flags, mounts, 'kubeadm.k8s.io/v1beta3').apiServer.extraArgs).toEqual({ 'audit-policy-file': '/etc/kubernetes/audit-policy.yaml', 'audit-log-path': '-' });
    expect(kubeadmClusterConfiguration(flags, mounts, 'kubeadm.k8s.io/v1beta4').apiServer.extraArgs).toEqual([
      { name: 'audit-policy-file', value: '/etc/kubernetes/audit-policy.yaml' },
      { name: 'audit-log-path', value: '-' },
    ]);
    const yaml = kubeadmClusterConfigurationYaml(flags, mounts, 'kubeadm.k8s.io/v1beta3');
    expect(parse(yaml, { version: '1.1' })).toEqual(kubeadmClusterConfiguration(flags, mounts, 'kubeadm.k8s.io/v1beta3'));
  });
});

describe('pod JSON patches', () => {
  it('append flags to command of the static Pod and to args of a Deployment', () => {
    expect(podJsonPatch(flags, mounts, STATIC_POD_TARGET).map((op) => op.path)).toEqual(['/spec/containers/0/command/-', '/spec/containers/0/command/-', '/spec/containers/0/volumeMounts/-', '/spec/volumes/-']);
    expect(podJsonPatch(flags, [], DEPLOYMENT_TARGET)).toEqual([
      { op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '--audit-policy-file=/etc/kubernetes/audit-policy.yaml' },
      { op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '--audit-log-path=-' },
    ]);
  });
});

describe('kind', () => {
  it('mounts the files and carries the kubeadm patch as YAML inside the YAML', () => {
    const config = parse(kindClusterConfigYaml(flags, mounts, [{ nodePath: '/etc/kubernetes/audit-policy.yaml', localPath: './audit-policy.yaml' }], 'kubeadm.k8s.io/v1beta4'), { version: '1.1' });
    expect(config.nodes[0].extraMounts).toEqual([{ hostPath: './audit-policy.yaml', containerPath: '/etc/kubernetes/audit-policy.yaml', readOnly: true }]);
    expect(parse(config.nodes[0].kubeadmConfigPatches[0], { version: '1.1' })).toEqual(kubeadmClusterConfiguration(flags, mounts, 'kubeadm.k8s.io/v1beta4'));
  });
});
