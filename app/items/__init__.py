"""Items, links, themes, status updates, comments, evidence, indicators and the workflow."""
