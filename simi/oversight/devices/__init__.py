"""Devices (CCTV analytics units, autogates, kiosks): the registry with one
key per device, signed event batches, and offline alerts."""
