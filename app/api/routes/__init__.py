"""One router per resource; `app.api.main` collects them."""
