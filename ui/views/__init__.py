"""The app's pages, one module per page, each with ``render(rt)`` (listed in ui/app.py)."""
