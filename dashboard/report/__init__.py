"""The weekly report: its data (``data.py``) and one renderer per format (``render.py``)."""
