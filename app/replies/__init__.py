"""Replies by email: a notification's reply address carries a signed, expiring token; a reply
read by ``flask mail receive`` becomes a comment or a status update through the services."""
