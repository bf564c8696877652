"""Database connections shared by the stores."""
