"""The web app: FastAPI + Jinja2 + htmx, every asset served locally."""
