"""The HTTP service: `create_app()` in `app.api.main`, served by `moderate serve`.

Kept import-free so `moderate score` does not pay for FastAPI's import.
"""
