"""Sightings: field reports by patrols and Timpora members of who was seen,
where and when, with a permit seal verified on the spot."""
