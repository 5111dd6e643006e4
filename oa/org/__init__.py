"""The organisation: the county, its units and internal offices, people, positions and roles."""
