"""The web surface: JSON API under /api/v1 and server-rendered pages, over the core."""
