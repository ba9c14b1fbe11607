"""Catalogue master data in the admin, every value next to its legal basis and source.

Fees and service standards change only by adding a period with an effective
date, through the services (which close the current period the day before);
an existing period keeps its amount and dates, so history stays true. Other
edits are recorded in the audit log (which row, which fields).
"""

from simi.catalog.admin import catalogue, periods

__all__ = ["catalogue", "periods"]
