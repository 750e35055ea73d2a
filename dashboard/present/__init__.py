"""Pure presenters shared by the CLI, the web app and the report: numbers and text from query results.

Nothing here imports streamlit or typer, so every front shows the same figure the same way.
"""
