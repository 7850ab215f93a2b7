"""``python -m allvoice``."""

import sys

from allvoice.app.cli import main

sys.exit(main())
