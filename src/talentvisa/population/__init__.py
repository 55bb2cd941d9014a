"""Populations: many profiles as columns, and the rules compiled to run over them."""
