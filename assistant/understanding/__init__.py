"""Understanding what a message asks: the meaning-based message classifier (and, after the move, routing)."""
