"""Evidence: the commentary's claims, each with its pre-registered decision, and the rubric that decides them."""
