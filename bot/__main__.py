"""Allow ``python -m bot`` as an alias for the ``ringkas`` command."""

from bot.cli.main import main

raise SystemExit(main())
