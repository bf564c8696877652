"""What is being asked: intent routing (rules, then the nearest example) and the numbers and time
spans read from a participant's own words."""
