"""What every domain shares: model mixins, errors, time helpers."""
