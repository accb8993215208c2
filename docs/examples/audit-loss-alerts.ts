// Your own construct: alerts on lost audit events, added to its target like the built-in ones.
import { minimalMetadataPolicy } from '@k8s-gen/audit';
import { addCheck, App, AuditChart, AuditPolicy, findTarget, registerContributor, WebhookBackend, type TargetContribution, type TargetContributor } from '@k8s-gen/constructs';
import { isDnsLabel } from '@k8s-gen/runtime';
import { Construct } from 'constructs';

/** A Prometheus Operator rule that fires while the apiserver loses audit events. */
class AuditLossAlerts extends Construct implements TargetContributor {
  constructor(scope: Construct, id: string, private readonly namespace: string) {
    super(scope, id);
    registerContributor(this);
    // A value that reaches an emitted file is checked where it enters.
    addCheck(this, () =>
      isDnsLabel(namespace) ? [] : [{ severity: 'error', code: 'alerts-namespace', path: 'namespace', message: `"${namespace}" is not a namespace name`, fix: 'use lower-case letters, digits and -' }],
    );
    // What depends on the other constructs is checked once every contribution is known.
    addCheck(this, () => {
      const settings = findTarget(this)?.settings();
      if (settings?.log !== undefined || settings?.webhook !== undefined) return [];
      return [{ severity: 'warning', code: 'alerts-without-backend', path: '', message: 'the apiserver has no audit backend, so there is nothing to lose', fix: 'add a LogBackend or WebhookBackend to the target' }];
    });
  }

  /** One Kubernetes object; the target writes it into kubernetes/objects.yaml. */
  contribute(): TargetContribution {
    const lost = 'sum by (plugin) (rate(apiserver_audit_error_total[5m])) > 0';
    return {
      objects: [
        {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'PrometheusRule',
          metadata: { name: 'audit-event-loss', namespace: this.namespace },
          spec: { groups: [{ name: 'kube-apiserver-audit', rules: [{ alert: 'AuditEventsLost', expr: lost, for: '5m', labels: { severity: 'warning' } }] }] },
        },
      ],
    };
  }
}

const app = new App({ outdir: 'dist/alerts' });
const cluster = new AuditChart(app, 'cluster', { kubernetesVersion: '1.30' });
new AuditPolicy(cluster, 'Policy', { policy: minimalMetadataPolicy() });
new WebhookBackend(cluster, 'Webhook', { server: 'https://audit.example.internal:8443/events' });
new AuditLossAlerts(cluster, 'Alerts', 'monitoring');

const result = app.synth();
const objects = result.files.find((file) => file.path.endsWith('kubernetes/objects.yaml'));
console.log(`--- ${objects?.path}\n${objects?.contents}`);
