"""The JSON API (django-ninja), versioned under /api/v1/."""
