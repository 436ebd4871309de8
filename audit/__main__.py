"""`python -m audit`: the same as the `wa-audit` command."""

from audit.cli import main

raise SystemExit(main())
