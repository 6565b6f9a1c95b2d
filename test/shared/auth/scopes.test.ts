import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grantsBeyond, holdsScope, SCOPES, ScopeGrant } from '../../../shared/auth/scopes.js';

const grants = fc.uniqueArray(fc.constantFrom(...ScopeGrant.options), {
  maxLength: ScopeGrant.options.length,
});

describe('scopes', () => {
  it('lets `*` stand for every scope and any other grant only for itself', () => {
    for (const scope of SCOPES) {
      expect(holdsScope(['*'], scope)).toBe(true);
      expect(holdsScope([scope], scope)).toBe(true);
      expect(
        holdsScope(
          SCOPES.filter((other) => other !== scope),
          scope,
        ),
      ).toBe(false);
    }
  });

  it('never lets a key hand out a key that can call more than the issuer can', () => {
    fc.assert(
      fc.property(grants, grants, (held, wanted) => {
        if (grantsBeyond(held, wanted).length > 0) return;
        for (const scope of SCOPES) {
          if (holdsScope(wanted, scope)) expect(holdsScope(held, scope)).toBe(true);
        }
      }),
    );
  });

  it('names exactly the grants the issuer lacks', () => {
    fc.assert(
      fc.property(grants, grants, (held, wanted) => {
        const beyond = grantsBeyond(held, wanted);
        if (held.includes('*')) expect(beyond).toEqual([]);
        else expect(beyond).toEqual(wanted.filter((grant) => !held.includes(grant)));
      }),
    );
  });
});
