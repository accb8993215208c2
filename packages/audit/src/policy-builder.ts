/**
 * The policy builder users start from: the generated builder plus `toYaml` and `validate`, with
 * rule chains that lead back to it.
 */
import type { Buildable, Problem } from '@k8s-gen/runtime';
import { PolicyBuilder, PolicyRuleInPolicyBuilder } from './generated/audit.k8s.io/v1/builders/Policy.js';
import type { PolicyRuleBuilder } from './generated/audit.k8s.io/v1/builders/PolicyRule.js';
import type { Policy } from './generated/audit.k8s.io/v1/types/Policy.js';
import type { PolicyRule } from './generated/audit.k8s.io/v1/types/PolicyRule.js';
import { toYaml, type ToYamlOptions } from './to-yaml.js';
import { validate, type ValidateOptions } from './validate.js';

/** A function that fills in a fresh rule builder, as accepted by `rule(fn)`. */
type ConfigureRule = (rule: PolicyRuleBuilder) => unknown;

/**
 * A fluent builder for an audit Policy that can also check and write what it builds.
 *
 * `rule()` starts a rule; on the rule, `rule()` starts the next one and `end()` comes back here,
 * so a whole policy reads as one chain:
 *
 * @example
 * const yaml = policy()
 *   .omitStages('RequestReceived')
 *   .rule().level('None').users('system:kube-proxy').verbs('watch')
 *   .rule().level('Metadata').comment('everything else')
 *   .end()
 *   .toYaml();
 */
export class AuditPolicyBuilder extends PolicyBuilder {
  /** Starts a new rule and returns its builder (see {@link AuditRuleBuilder}). */
  override rule(): AuditRuleBuilder;
  /** Adds a rule configured by a function given a fresh rule builder. */
  override rule(configure: ConfigureRule): this;
  /** Adds a rule given as a plain object or a rule builder. */
  override rule(value: Buildable<PolicyRule>): this;
  override rule(entry?: ConfigureRule | Buildable<PolicyRule>): AuditRuleBuilder | this {
    if (entry === undefined) {
      const child = new AuditRuleBuilder(this);
      this.appendField('rules', [child]);
      return child;
    }
    return typeof entry === 'function' ? super.rule(entry) : super.rule(entry);
  }

  /** Builds the policy and writes it as YAML; see the `toYaml` function for the format. */
  toYaml(options?: ToYamlOptions): string {
    return toYaml(this.build(), options);
  }

  /** Builds the policy and checks it; see the `validate` function for what is reported. */
  validate(options?: ValidateOptions): Problem[] {
    return validate(this.build(), options);
  }
}

/**
 * A rule started with `policy().rule()`: the rule's own setters, `rule()` for the next rule,
 * `end()` back to the {@link AuditPolicyBuilder} and `build()` for the whole policy.
 *
 * @example
 * const p = policy().rule().level('None').nonResourceURLs('/healthz*').rule().level('Metadata').build();
 */
export class AuditRuleBuilder extends PolicyRuleInPolicyBuilder<Policy> {
  readonly #policy: AuditPolicyBuilder;

  /** Binds the rule to the policy builder it belongs to; use `policy().rule()` instead. */
  constructor(policy: AuditPolicyBuilder) {
    super(policy);
    this.#policy = policy;
  }

  /** Finishes this rule and starts the next one. */
  override rule(): AuditRuleBuilder;
  /** Finishes this rule and adds one configured by a function; returns the policy builder. */
  override rule(configure: ConfigureRule): AuditPolicyBuilder;
  /** Finishes this rule and adds one given as a plain object or builder; returns the policy builder. */
  override rule(value: Buildable<PolicyRule>): AuditPolicyBuilder;
  override rule(entry?: ConfigureRule | Buildable<PolicyRule>): AuditRuleBuilder | AuditPolicyBuilder {
    if (entry === undefined) return this.#policy.rule();
    return typeof entry === 'function' ? this.#policy.rule(entry) : this.#policy.rule(entry);
  }

  /** Returns to the policy builder, where `toYaml()` and `validate()` are. */
  override end(): AuditPolicyBuilder {
    return this.#policy;
  }
}

/**
 * Starts a new audit policy (`apiVersion: audit.k8s.io/v1`, `kind: Policy`).
 *
 * @example
 * const p = policy().omitStages('RequestReceived').rule().level('Metadata').build();
 */
export function policy(): AuditPolicyBuilder {
  return new AuditPolicyBuilder();
}
