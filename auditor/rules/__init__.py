"""Predicates several consumers share (checks, red flags, dispute briefs, provider checks): how the
contract is read through a lexicon (`CheckInput`), prepayment and deposit shares, short deemed
acceptance, the breaching side, and suggested wording filled with the contract's own facts.

Checks, red flags and the dispute reader depend on this package, never on each other.
"""
