import sys

from skazal.cli import main

sys.exit(main())
