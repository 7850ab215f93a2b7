"""``python -m allvoice``."""

import sys

from allvoice.cli import main

sys.exit(main())
