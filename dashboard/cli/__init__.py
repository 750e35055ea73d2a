"""The command line, one module per command group; ``app`` is the ``dashcam`` entry point."""

from dashboard.cli.main import app, main

__all__ = ["app", "main"]
