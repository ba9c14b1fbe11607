"""Household members: the family an applicant applies for (docs/accounts.md)."""
