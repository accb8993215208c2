// `{@link}` in the twoslash popups, as TypeScript and twoslash hand the documentation over.
import { describe, expect, it } from 'vitest';
import { renderHoverLinks } from '../.vitepress/hover-links.js';

const targets = {
  AuditRuleBuilder: '/api/@k8s-gen/audit/classes/AuditRuleBuilder.html',
  App: '/api/@k8s-gen/constructs/classes/App.html',
  'App.synth': '/api/@k8s-gen/constructs/classes/App.html#synth',
  ReadAuditLogOptions: '/api/@k8s-gen/audit/interfaces/ReadAuditLogOptions.html',
};

describe('renderHoverLinks', () => {
  it('turns the documentation parts twoslash joined with line breaks into one sentence with a link', () => {
    // What twoslash passes on for "Starts a new rule and returns its builder (see {@link AuditRuleBuilder})."
    const joined = 'Starts a new rule and returns its builder (see \n{@link \nAuditRuleBuilder\n}\n).';
    expect(renderHoverLinks(joined, targets, true)).toBe(
      'Starts a new rule and returns its builder (see [`AuditRuleBuilder`](/api/@k8s-gen/audit/classes/AuditRuleBuilder.html)).',
    );
  });

  it('keeps the documentation own line breaks, links members, and names unknown targets in code', () => {
    const joined = 'Add \n{@link \nAuditChart\n}\ns (or such as\n\n{@link \nApp \n}\n), then call \n{@link \nApp.synth\n}\n.';
    expect(renderHoverLinks(joined, targets, true)).toBe(
      'Add `AuditChart`s (or such as\n[`App`](/api/@k8s-gen/constructs/classes/App.html)), then call [`App.synth`](/api/@k8s-gen/constructs/classes/App.html#synth).',
    );
  });

  it('reads links in tag text, with a label, and a member without a page of its own', () => {
    const tag = 'see {@link ReadAuditLogOptions.maxProblems | the limit} and {@linkcode App}';
    expect(renderHoverLinks(tag, targets, false)).toBe(
      'see [the limit](/api/@k8s-gen/audit/interfaces/ReadAuditLogOptions.html) and [`App`](/api/@k8s-gen/constructs/classes/App.html)',
    );
  });

  it('leaves text without links unchanged', () => {
    const text = 'No links here,\n{curly} braces and @link alone.';
    expect(renderHoverLinks(text, targets, true)).toBe(text);
  });
});
