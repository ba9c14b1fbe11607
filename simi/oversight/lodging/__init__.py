"""Lodging reports (UU 6/2011 Art. 72): lodging places report their foreign
guests by form, API or CSV file; the office sees late and quiet places."""
