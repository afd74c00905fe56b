"""``python -m innosd``: the same command line as the ``innosd`` script."""

from .cli import main

raise SystemExit(main())
