"""The landing zone: the raw export contract, file discovery, parsing and loading into raw."""
