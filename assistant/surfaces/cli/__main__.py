"""`python -m assistant.surfaces.cli` is `beacon`."""

import sys

from assistant.surfaces.cli import main

sys.exit(main())
