"""The Streamlit app: the router (``app.py``), its data access and shared widgets, one page per view.

The only room that imports streamlit; pages draw, the numbers come from ``dashboard.present``
and the named queries.
"""
