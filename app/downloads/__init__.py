"""Files prepared for one user by a job (large reports), kept until they are fetched."""
