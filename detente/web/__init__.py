"""The dashboard: pages, templates and static files served by ``detente.api``."""
