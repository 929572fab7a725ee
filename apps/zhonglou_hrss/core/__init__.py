"""core: users, roles, grids, lookups, the enterprise registry, personal-data
protection, validators and the audit log. Knows nothing of the domain apps."""
