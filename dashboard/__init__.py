"""Everything a person sees: the CLI, the Streamlit dashboard, charts and reports."""
