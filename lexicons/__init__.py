"""Data package: the lexicons (vocabulary, patterns, reasons, wording per check), read through auditor.resources."""
