// Property: whatever valid options webhookKubeconfig gets, the result validates cleanly (as an
// audit webhook config) and survives toYaml -> parseKubeconfig unchanged.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseKubeconfig, toYaml, validateKubeconfig, webhookKubeconfig, type WebhookKubeconfigOptions } from '../src/index.js';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/);
const host = fc.oneof(fc.ipV4(), fc.array(label, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.')));
const server = fc
  .record({ scheme: fc.constantFrom('https', 'http'), host, port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), path: fc.array(label, { maxLength: 3 }) })
  .map(({ scheme, host: h, port, path }) => `${scheme}://${h}${port === undefined ? '' : `:${port}`}${path.length > 0 ? `/${path.join('/')}` : ''}`);
/** Any text YAML must keep as a string, including YAML 1.1 look-alikes such as `on` or `0777`. */
const text = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }), fc.constantFrom('on', 'yes', 'no', 'null', '~', '0777', '1e3', '- x', 'a: b', '"q"', "it's", '#hash'));
const filePath = fc.array(label, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`);
const pem = fc.uint8Array({ minLength: 1, maxLength: 96 }).map((bytes) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(bytes).toString('base64')}\n-----END CERTIFICATE-----\n`);
const name = fc.oneof(label, text);

const options: fc.Arbitrary<WebhookKubeconfigOptions> = fc
  .record({
    server,
    trust: fc.oneof(
      fc.constant({}),
      filePath.map((caFile) => ({ caFile })),
      pem.map((caData) => ({ caData })),
      fc.constant({ insecureSkipTlsVerify: true }),
    ),
    tlsServerName: fc.option(label, { nil: undefined }),
    certificate: fc.oneof(
      fc.constant({}),
      fc.record({ clientCertificate: filePath, clientKey: filePath }),
      fc.record({ clientCertificateData: pem, clientKeyData: pem }),
      fc.record({ clientCertificate: filePath, clientKeyData: pem }),
    ),
    bearer: fc.oneof(fc.constant({}), text.map((token) => ({ token })), filePath.map((tokenFile) => ({ tokenFile })), fc.record({ token: text, tokenFile: filePath })),
    names: fc.option(fc.record({ cluster: name, user: name, context: name }, { requiredKeys: [] }), { nil: undefined }),
  })
  .map(({ trust, certificate, bearer, tlsServerName, names, ...rest }) => {
    const result: WebhookKubeconfigOptions = { ...rest, ...trust, ...certificate, ...bearer };
    if (tlsServerName !== undefined) result.tlsServerName = tlsServerName;
    if (names !== undefined) result.names = names;
    return result;
  });

describe('webhookKubeconfig (property)', () => {
  it('always yields a config without errors that round-trips through YAML', () => {
    fc.assert(
      fc.property(options, (input) => {
        const config = webhookKubeconfig(input);
        const problems = validateKubeconfig(config, { forAuditWebhook: true, kubernetesVersion: '1.20' });
        expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
        const text = toYaml(config);
        const parsed = parseKubeconfig(text);
        expect(parsed.problems).toEqual([]);
        expect(parsed.config).toEqual(config);
        expect(toYaml(parsed.config!)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});
