"""Data package: the bundled playbooks (YAML), read through auditor.resources."""
