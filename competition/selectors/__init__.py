"""Reads that span relations, with a fixed number of queries."""
