"""`python -m audit`: the same as the `wa-audit` command."""

from audit.app.launcher import main

raise SystemExit(main())
