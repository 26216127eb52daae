"""The local sandbox job market: recorded real responses plus seeded generated postings."""
