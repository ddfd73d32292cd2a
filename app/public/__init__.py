"""The public view: items a manager has published, with a public summary, readable without login."""
