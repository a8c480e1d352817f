"""Monitoring of the model's inputs once it is in use: `drift` compares them with training data."""
