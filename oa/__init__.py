"""象山 OA application shell: settings, database, organisation, accounts, audit, notifications, CLI."""
