"""The register of foreigners: people, passports, sponsors, stay permits,
entries and exits, exports, and the detection jobs that find violations."""
