"""The first data set as data files, and the loader that applies them through the services."""
