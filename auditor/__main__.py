"""`python -m auditor` is the same as the `contract-audit` command."""

from auditor.cli import main

raise SystemExit(main())
