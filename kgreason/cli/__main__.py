"""``python -m kgreason.cli`` = ``kgreason``."""

from kgreason.cli import main

main()
