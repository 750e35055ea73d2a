"""``python -m dashboard.cli``: the same entry point as the ``dashcam`` script."""

from dashboard.cli.main import main

main()
