"""Demo content of the four plans in Persian and English, and the code that loads it."""
